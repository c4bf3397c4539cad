using Collector.Core.Components;

namespace Collector.Processors.ResourceDetection;

/// <summary>Options of the <c>resourcedetection</c> processor, with the Collector's names and defaults.</summary>
public sealed class ResourceDetectionOptions : IComponentOptions
{
    /// <summary>Detectors to run, in order; when two detect the same key, the earlier one wins. The Collector's default is <c>[env]</c>.</summary>
    public List<string> Detectors { get; set; } = [Detector.Env];

    /// <summary>True: detected values replace a resource's own; false: a resource keeps what it has and gets only missing keys.</summary>
    public bool Override { get; set; } = true;

    public IEnumerable<OptionsError> Validate()
    {
        for (var i = 0; i < Detectors.Count; i++)
        {
            if (!Detector.Known.Contains(Detectors[i]))
            {
                yield return new OptionsError($"detectors::{i}", $"unknown detector \"{Detectors[i]}\": one of {string.Join(", ", Detector.Known)}");
            }
            else if (Detectors.IndexOf(Detectors[i]) < i)
            {
                yield return new OptionsError($"detectors::{i}", $"detector \"{Detectors[i]}\" is listed twice");
            }
        }
    }
}
