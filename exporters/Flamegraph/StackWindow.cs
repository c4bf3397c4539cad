using Collector.Core.Model;

namespace Collector.Exporters.Flamegraph;

/// <summary>
/// The recent past the page shows: samples summed per (stack, process, thread) in 10-second buckets, the buckets
/// older than the window dropped as time moves on, and the oldest dropped early when the entries exceed their cap,
/// so memory stays bounded whatever the machine runs. Stacks and frames are shared with the batches (immutable).
/// </summary>
internal sealed class StackWindow(TimeSpan window, int maxEntries)
{
    public static readonly TimeSpan BucketLength = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly LinkedList<Bucket> _buckets = new();
    private readonly Dictionary<ProcessKey, ProcessKey> _processes = [];
    private int _entries;

    /// <summary>Adds the samples of a batch at <paramref name="now"/> (arrival time: reports are seconds apart, buckets ten).</summary>
    public void Add(ProfileBatch batch, DateTimeOffset now)
    {
        var start = now.ToUnixTimeMilliseconds() / (long)BucketLength.TotalMilliseconds * (long)BucketLength.TotalMilliseconds;
        lock (_gate)
        {
            var bucket = _buckets.Last?.Value;
            if (bucket is null || bucket.StartMs != start)
            {
                bucket = new Bucket(start);
                _buckets.AddLast(bucket);
            }
            foreach (var resourceProfiles in batch.ResourceProfiles)
            {
                var process = Intern(ProcessKey.Of(resourceProfiles.Resource));
                foreach (var scope in resourceProfiles.ScopeProfiles)
                {
                    foreach (var profile in scope.Profiles)
                    {
                        foreach (var sample in profile.Samples)
                        {
                            var weight = sample.Weight;
                            if (weight <= 0) continue;
                            var key = new EntryKey(sample.Stack, process, ThreadOf(sample));
                            if (bucket.Weights.TryGetValue(key, out var sum)) bucket.Weights[key] = sum + weight;
                            else
                            {
                                bucket.Weights.Add(key, weight);
                                _entries++;
                            }
                        }
                    }
                }
            }
            Trim(now.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>The entries of the buckets that overlap [fromMs, toMs), summed, and the time the kept data spans.</summary>
    public (List<KeyValuePair<EntryKey, long>> Entries, long OldestMs, long NewestMs) Query(long fromMs, long toMs)
    {
        lock (_gate)
        {
            var sums = new Dictionary<EntryKey, long>();
            foreach (var bucket in _buckets)
            {
                if (bucket.StartMs + (long)BucketLength.TotalMilliseconds <= fromMs || bucket.StartMs >= toMs) continue;
                foreach (var (key, weight) in bucket.Weights) sums[key] = sums.GetValueOrDefault(key) + weight;
            }
            var oldest = _buckets.First?.Value.StartMs ?? 0;
            var newest = _buckets.Last is { } last ? last.Value.StartMs + (long)BucketLength.TotalMilliseconds : 0;
            return ([.. sums], oldest, newest);
        }
    }

    private void Trim(long nowMs)
    {
        var horizon = nowMs - (long)window.TotalMilliseconds - (long)BucketLength.TotalMilliseconds;
        while (_buckets.First is { } first && first != _buckets.Last && (first.Value.StartMs < horizon || _entries > maxEntries))
        {
            _entries -= first.Value.Weights.Count;
            _buckets.RemoveFirst();
        }
    }

    private ProcessKey Intern(ProcessKey process)
    {
        if (_processes.TryGetValue(process, out var known)) return known;
        // Bounded by what the window holds in practice; cleared when it grows far beyond the entries.
        if (_processes.Count > maxEntries) _processes.Clear();
        _processes.Add(process, process);
        return process;
    }

    private static string ThreadOf(Sample sample)
    {
        string? id = null;
        foreach (var attribute in sample.Attributes)
        {
            if (attribute.Key == SemanticConventions.ThreadName && attribute.Value is { Kind: AnyValueKind.String, StringValue.Length: > 0 } name) return name.StringValue;
            if (attribute.Key == SemanticConventions.ThreadId && attribute.Value is { } value) id = value.ToString();
        }
        return id ?? "";
    }

    private sealed class Bucket(long startMs)
    {
        public long StartMs { get; } = startMs;

        public Dictionary<EntryKey, long> Weights { get; } = [];
    }
}

/// <summary>What the page tells apart: a stack, in a process, on a thread.</summary>
internal readonly record struct EntryKey(Stack Stack, ProcessKey Process, string Thread);

/// <summary>A process as the page filters it: pid, executable name and container id ("" when unknown).</summary>
internal sealed record ProcessKey(long Pid, string Name, string ContainerId)
{
    public static ProcessKey Of(Resource? resource)
    {
        long pid = 0;
        string name = "", container = "";
        foreach (var attribute in resource?.Attributes ?? [])
        {
            switch (attribute.Key)
            {
                case SemanticConventions.ProcessPid when attribute.Value is { Kind: AnyValueKind.Int } value:
                    pid = value.IntValue;
                    break;
                case SemanticConventions.ProcessExecutableName when attribute.Value is { Kind: AnyValueKind.String } value:
                    name = value.StringValue;
                    break;
                case SemanticConventions.ContainerId when attribute.Value is { Kind: AnyValueKind.String } value:
                    container = value.StringValue;
                    break;
            }
        }
        return new ProcessKey(pid, name, container);
    }
}
