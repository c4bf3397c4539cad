
namespace Collector.Host.Tests.Support;

/// <summary>
/// What a test needs to profile the live machine: root (eBPF and perf events) and the tools it compares against.
/// Where they are missing, the test skips with the reason; under CI=true it fails instead.
/// </summary>
public static class LiveProfiling
{
    public static void Require(params string[] tools)
    {
        ExternalTools.Require(Environment.IsPrivilegedProcess, "profiling the live machine with eBPF needs root (or CAP_BPF + CAP_PERFMON)");
        foreach (var tool in tools) ExternalTools.Require(tool, tool == "clang-14" ? "clang-14" : "binutils");
    }
}

/// <summary>Live-profiling tests run one at a time: each samples the whole machine and wants the CPU to itself.</summary>
[CollectionDefinition(Name)]
public sealed class LiveProfilingCollection
{
    public const string Name = "live profiling";
}

/// <summary>
/// Tests that assert on a duration run alone, after every test that can run in parallel: a container build or a
/// profiled workload beside them measures the machine's load, not the code.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedCollection
{
    public const string Name = "timed";
}
