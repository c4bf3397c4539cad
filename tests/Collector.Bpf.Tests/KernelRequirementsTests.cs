namespace Collector.Bpf.Tests;

/// <summary>Each missing requirement yields a message that names it; nothing is probed before capabilities pass.</summary>
public class KernelRequirementsTests
{
    private const ulong All = (1UL << KernelRequirements.CapBpf) | (1UL << KernelRequirements.CapPerfmon);

    private static int Supported() => 1;

    [Fact]
    public void Nothing_is_missing_with_both_capabilities_btf_and_ring_buffer() =>
        Assert.Null(KernelRequirements.FindMissing(All, btfPresent: true, Supported));

    [Fact]
    public void Cap_sys_admin_stands_in_for_both() =>
        Assert.Null(KernelRequirements.FindMissing(1UL << KernelRequirements.CapSysAdmin, btfPresent: true, Supported));

    [Fact]
    public void Missing_cap_bpf_is_named()
    {
        var message = KernelRequirements.FindMissing(1UL << KernelRequirements.CapPerfmon, true, NotCalled);
        Assert.StartsWith("Missing capability CAP_BPF:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_cap_perfmon_is_named()
    {
        var message = KernelRequirements.FindMissing(1UL << KernelRequirements.CapBpf, true, NotCalled);
        Assert.StartsWith("Missing capability CAP_PERFMON:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_missing_capabilities_are_named() =>
        Assert.StartsWith("Missing capabilities CAP_BPF and CAP_PERFMON:", KernelRequirements.FindMissing(0, true, NotCalled), StringComparison.Ordinal);

    [Fact]
    public void Missing_btf_is_named()
    {
        var message = KernelRequirements.FindMissing(All, btfPresent: false, NotCalled);
        Assert.StartsWith("Missing kernel feature BTF:", message, StringComparison.Ordinal);
        Assert.Contains("CONFIG_DEBUG_INFO_BTF", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_ring_buffer_is_named() =>
        Assert.StartsWith("Missing kernel feature BPF ring buffer:", KernelRequirements.FindMissing(All, true, () => 0), StringComparison.Ordinal);

    [Fact]
    public void A_refused_probe_reports_the_errno_and_what_it_means()
    {
        var message = KernelRequirements.FindMissing(All, true, () => -1);
        Assert.Contains("errno 1", message, StringComparison.Ordinal);
        Assert.Contains("CAP_BPF", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_this_threads_effective_capabilities()
    {
        var self = File.ReadLines("/proc/thread-self/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        Assert.EndsWith(KernelRequirements.ReadEffectiveCapabilities().ToString("x16", System.Globalization.CultureInfo.InvariantCulture), self, StringComparison.Ordinal);
    }

    private static int NotCalled() => throw new InvalidOperationException("the ring buffer probe must not run before capabilities pass");
}
