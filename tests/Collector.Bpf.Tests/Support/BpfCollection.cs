namespace Collector.Bpf.Tests.Support;

/// <summary>
/// Tests that load BPF programs or route libbpf's process-wide log run one at a time: sample counts depend on
/// the CPUs not being shared with another test's workload, and the log hook has a single target.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BpfCollection
{
    public const string Name = "bpf";
}
