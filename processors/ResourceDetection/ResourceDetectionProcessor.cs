using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;

namespace Collector.Processors.ResourceDetection;

/// <summary>
/// The <c>resourcedetection</c> processor: runs its detectors once, at start, and merges what they found into
/// every resource of every batch. With <c>override</c> (the default) a detected value replaces the resource's
/// own, in place; without it the resource keeps its value and gets only the keys it lacks.
/// </summary>
internal sealed class ResourceDetectionProcessor : ProcessorBase
{
    private readonly ResourceDetectionOptions _options;
    private readonly DetectionSources _sources;
    private IReadOnlyList<KeyValue> _detected = [];

    public ResourceDetectionProcessor(ComponentCreateSettings settings, ResourceDetectionOptions options, IProfilesConsumer next, DetectionSources sources)
        : base(settings, next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        _options = options;
        _sources = sources;
    }

    public override bool MutatesData => true;

    /// <summary>What detection found, in detector order; empty until start.</summary>
    internal IReadOnlyList<KeyValue> Detected => Volatile.Read(ref _detected);

    protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        var detected = new List<KeyValue>();
        foreach (var detector in _options.Detectors)
        {
            foreach (var attribute in Run(detector))
            {
                // The first detector to find a key wins, as in the Collector.
                if (!detected.Exists(a => a.Key == attribute.Key)) detected.Add(attribute);
            }
        }
        Volatile.Write(ref _detected, detected);
        Logger.Detected(string.Join(", ", detected), _options.Override);
        return Task.CompletedTask;
    }

    protected override void Process(ProfileBatch batch)
    {
        var detected = Detected;
        if (detected.Count == 0) return;
        foreach (var resourceProfiles in batch.ResourceProfiles)
        {
            var attributes = (resourceProfiles.Resource ??= new Core.Model.Resource()).Attributes;
            foreach (var attribute in detected)
            {
                var index = attributes.FindIndex(a => a.Key == attribute.Key);
                if (index < 0) attributes.Add(attribute);
                else if (_options.Override) attributes[index] = attributes[index] with { Value = attribute.Value };
            }
        }
    }

    private List<KeyValue> Run(string detector)
    {
        switch (detector)
        {
            case Detector.Env:
                var attributes = EnvDetector.Detect(_sources, out var problem);
                if (problem is not null) Logger.EnvironmentVariableIgnored(problem);
                return attributes;
            case Detector.System:
                return SystemDetector.Detect(_sources);
            default:
                throw new InvalidOperationException($"detector \"{detector}\" passed validation but is not known"); // Validate() refuses it
        }
    }
}
