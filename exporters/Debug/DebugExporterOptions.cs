using Collector.Core.Components;

namespace Collector.Exporters.Debug;

/// <summary>Options of the <c>debug</c> exporter.</summary>
public sealed class DebugExporterOptions : IComponentOptions
{
    public DebugVerbosity Verbosity { get; set; } = DebugVerbosity.Normal;

    public IEnumerable<OptionsError> Validate()
    {
        if (!Enum.IsDefined(Verbosity))
        {
            yield return new OptionsError("verbosity", $"\"{Verbosity}\" is not a verbosity: use basic, normal or detailed");
        }
    }
}
