namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>
/// Receiver tests that load BPF run one at a time: their sample counts assume the CPUs are not shared with
/// another test's workload, and libbpf's log hook is process-wide.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EbpfCollection
{
    public const string Name = "ebpf";
}
