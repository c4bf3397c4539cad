using Collector.Core.Model;

namespace Collector.Exporters.Pprof;

/// <summary>
/// The profiles being recorded for <c>/debug/pprof/profile</c> requests: each takes the samples of every batch that
/// arrives while it is open, as Go's CPU profiler records from the request onwards. Batches are copied into the
/// capture's pprof tables at once, so nothing of the batch is kept (only immutable stacks and frames).
/// </summary>
internal sealed class ProfileCaptures
{
    private readonly Lock _gate = new();
    private readonly List<Capture> _open = [];

    public int OpenCount
    {
        get { lock (_gate) return _open.Count; }
    }

    public Capture Open(ProfileFilter filter)
    {
        var capture = new Capture(filter);
        lock (_gate) _open.Add(capture);
        return capture;
    }

    /// <summary>Adds the batch to every open capture whose filter its resources match.</summary>
    public void Offer(ProfileBatch batch)
    {
        lock (_gate)
        {
            foreach (var capture in _open) capture.Add(batch);
        }
    }

    /// <summary>Closes the capture and returns its gzipped profile.</summary>
    public byte[] Close(Capture capture)
    {
        lock (_gate)
        {
            _open.Remove(capture);
            return capture.Encode();
        }
    }

    internal sealed class Capture(ProfileFilter filter)
    {
        private PprofBuilder? _builder;

        public void Add(ProfileBatch batch)
        {
            foreach (var resourceProfiles in batch.ResourceProfiles)
            {
                if (!filter.Matches(resourceProfiles.Resource)) continue;
                foreach (var scope in resourceProfiles.ScopeProfiles)
                {
                    foreach (var profile in scope.Profiles)
                    {
                        if (profile.Samples.Count == 0) continue;
                        // One meaning per pprof profile: the first sample types seen (the eBPF receiver has only one).
                        _builder ??= new PprofBuilder(PprofSampleTypes.Of(profile));
                        if (_builder.Types == PprofSampleTypes.Of(profile)) _builder.Add(resourceProfiles.Resource, profile);
                    }
                }
            }
        }

        /// <summary>An empty CPU profile when nothing matched: go tool pprof reads it and says so.</summary>
        public byte[] Encode() =>
            PprofEncoder.EncodeGzip(_builder ?? new PprofBuilder(new PprofSampleTypes(Core.Model.ValueType.Samples, Core.Model.ValueType.CpuNanoseconds, 0)));
    }
}
