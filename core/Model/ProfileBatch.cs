namespace Collector.Core.Model;

/// <summary>
/// The unit that flows through a pipeline. It holds symbolized OTLP-shaped content
/// (<see cref="ResourceProfiles"/>), raw kernel samples not yet resolved (<see cref="Raw"/>), process
/// lifecycle events, and the watermark, all in band so that order between them is kept.
/// <para>Entities below a sample (stacks, locations, functions, mappings, attributes) are immutable and may be
/// shared between batches; containers (lists, samples, profiles) belong to whoever holds the batch.
/// See <see cref="Components.IProfilesConsumer"/> for who may mutate what.</para>
/// </summary>
public sealed class ProfileBatch
{
    public List<ResourceProfiles> ResourceProfiles { get; init; } = [];

    public RawSampleSet? Raw { get; set; }

    public List<ProcessEvent> ProcessEvents { get; init; } = [];

    /// <summary>
    /// Files the mappings of this batch refer to, kept readable by the processor that learned them, keyed by
    /// <see cref="ExecutableFile.KeyOf"/>. Control data for later processors: never exported. <see cref="Clone"/>
    /// copies the dictionary (the files themselves are shared), so pipelines behind a fan-out can each add to theirs.
    /// </summary>
    public Dictionary<string, ExecutableFile> Executables { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Every sample and event with a kernel time below this has been delivered (in this batch or earlier
    /// ones). Null when the batch carries no new watermark.
    /// </summary>
    public ulong? WatermarkKtimeNanos { get; set; }

    /// <summary>Number of samples (OTLP <c>Sample</c> entries plus raw samples): the item count for telemetry.</summary>
    public int SampleCount
    {
        get
        {
            var count = Raw?.Samples.Count ?? 0;
            foreach (var resource in ResourceProfiles)
            {
                foreach (var scope in resource.ScopeProfiles)
                {
                    foreach (var profile in scope.Profiles) count += profile.Samples.Count;
                }
            }
            return count;
        }
    }

    /// <summary>True when the batch carries nothing an exporter would write (events and watermark are control data).</summary>
    public bool HasNoSamples => SampleCount == 0;

    /// <summary>True when there is nothing to pass on at all: no samples, no process events and no watermark.</summary>
    public bool IsEmpty => ProcessEvents.Count == 0 && WatermarkKtimeNanos is null && HasNoSamples;

    /// <summary>A copy whose containers can be mutated without affecting this batch; immutable entities are shared.</summary>
    public ProfileBatch Clone() => new()
    {
        ResourceProfiles = ResourceProfiles.ConvertAll(r => r.Clone()),
        Raw = Raw is null ? null : new RawSampleSet
        {
            BootTimeUnixNano = Raw.BootTimeUnixNano,
            PeriodNanos = Raw.PeriodNanos,
            Samples = [.. Raw.Samples],
        },
        ProcessEvents = [.. ProcessEvents],
        Executables = new Dictionary<string, ExecutableFile>(Executables, StringComparer.Ordinal),
        WatermarkKtimeNanos = WatermarkKtimeNanos,
    };
}
