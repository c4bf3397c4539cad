namespace Collector.Receivers.Ebpf;

/// <summary>
/// What the receiver keeps when the collector runs in a pid namespace of its own (a sidecar): only processes of that
/// namespace, under the pids it shows, minus the collector itself and, with <c>pids:</c>, minus the others. The
/// kernel-side pid filter and self-exclusion work on the kernel's pids, which the collector does not know there, so
/// both are applied here instead, after translation.
/// </summary>
internal sealed class NamespaceScope(PidNamespace pids, int selfPid, IReadOnlyCollection<int> targetPids)
{
    private readonly HashSet<int> _targets = [.. targetPids];
    private long _samplesOutside;

    public PidNamespace Pids => pids;

    /// <summary>Samples of processes outside the collector's namespace (or not told apart from a neighbour).</summary>
    public long SamplesOutside => Interlocked.Read(ref _samplesOutside);

    /// <summary>The local pid of a sampled process when it is one to keep, else null.</summary>
    public int? Admit(int kernelPid, ulong startNanos, ReadOnlySpan<byte> threadComm, bool isSample)
    {
        var local = pids.ToLocal(kernelPid, startNanos, threadComm);
        if (local is null)
        {
            if (isSample)
            {
                Interlocked.Increment(ref _samplesOutside);
            }
            return null;
        }
        return local == selfPid || (_targets.Count > 0 && !_targets.Contains(local.Value)) ? null : local;
    }
}
