using Collector.Tests.Shared;
using Xunit.Abstractions;

namespace Collector.Host.Tests.Support;

/// <summary>
/// Whether a test can profile the live machine: root (eBPF and perf events) and the tools it compares against.
/// Where it cannot, it says why and returns false; under CI=true that is a failure instead.
/// </summary>
public static class LiveProfiling
{
    public static bool Available(ITestOutputHelper output, params string[] tools)
    {
        if (!ExternalTools.Require(Environment.IsPrivilegedProcess, "profiling the live machine with eBPF needs root (or CAP_BPF + CAP_PERFMON)", output))
        {
            return false;
        }
        return tools.All(tool => ExternalTools.Require(tool, tool == "clang-14" ? "clang-14" : "binutils", output));
    }
}

/// <summary>Live-profiling tests run one at a time: each samples the whole machine and wants the CPU to itself.</summary>
[CollectionDefinition(Name)]
public sealed class LiveProfilingCollection
{
    public const string Name = "live profiling";
}
