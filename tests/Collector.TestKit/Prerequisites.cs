using Collector.Bpf;

namespace Collector.TestKit;

/// <summary>
/// What the eBPF tests need from the machine: the kernel's BPF support (capabilities, BTF, ring buffer) and the
/// tools they build workloads with. Where something is missing the test skips with the reason, except under CI=true
/// where the environment is promised to have everything and the test fails instead (<see cref="ExternalTools"/>).
/// </summary>
public static class Prerequisites
{
    /// <summary>Returns when this thread may load and attach the profiler.</summary>
    public static void Bpf()
    {
        try
        {
            KernelRequirements.Check();
        }
        catch (BpfException error)
        {
            ExternalTools.Unavailable(error.Message);
        }
    }

    /// <summary>Returns when every tool is on the PATH (they come from the Debian packages docs/ebpf.md lists).</summary>
    public static void Tools(params string[] tools)
    {
        var absent = tools.Where(tool => !ExternalTools.OnPath(tool)).ToList();
        if (absent.Count > 0) ExternalTools.Unavailable($"missing tools: {string.Join(", ", absent)} (see docs/ebpf.md for the Debian packages)");
    }
}
