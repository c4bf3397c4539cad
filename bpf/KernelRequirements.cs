using System.Globalization;
using Collector.Bpf.Native;

namespace Collector.Bpf;

/// <summary>
/// Checks, before anything is loaded, that this thread may use BPF and perf and that the kernel has what the
/// profiler needs, so that a failure names the missing capability or feature instead of a bare errno.
/// </summary>
public static class KernelRequirements
{
    public const int CapSysAdmin = 21;
    public const int CapPerfmon = 38;
    public const int CapBpf = 39;

    public const string BtfPath = "/sys/kernel/btf/vmlinux";

    /// <summary>Capabilities are per thread; BPF and perf calls are checked against the calling thread's.</summary>
    private const string StatusPath = "/proc/thread-self/status";

    private const string GrantHint =
        "Run the collector as root or grant the capabilities (setcap cap_bpf,cap_perfmon+ep, or in a container --cap-add BPF --cap-add PERFMON)";

    /// <summary>Throws a <see cref="BpfException"/> naming the first missing requirement.</summary>
    public static void Check()
    {
        var missing = FindMissing(ReadEffectiveCapabilities(), File.Exists(BtfPath), () => LibbpfProbes.ProbeMapType(LibbpfProbes.MapTypeRingBuffer, 0));
        if (missing is not null)
        {
            throw new BpfException(missing);
        }
    }

    /// <summary>
    /// The message for the first requirement not met, or null. <paramref name="probeRingBuffer"/> returns
    /// libbpf's probe result (1 supported, 0 not, negative errno) and runs only once the rest is satisfied.
    /// </summary>
    public static string? FindMissing(ulong effectiveCapabilities, bool btfPresent, Func<int> probeRingBuffer)
    {
        ArgumentNullException.ThrowIfNull(probeRingBuffer);
        bool Has(int capability) => (effectiveCapabilities & (1UL << capability)) != 0;
        var admin = Has(CapSysAdmin);
        var bpf = admin || Has(CapBpf);
        var perfmon = admin || Has(CapPerfmon);
        if (!bpf && !perfmon)
        {
            return "Missing capabilities CAP_BPF and CAP_PERFMON: loading BPF programs needs CAP_BPF, sampling every CPU and "
                + $"reading kernel memory from them needs CAP_PERFMON (CAP_SYS_ADMIN covers both). {GrantHint}.";
        }
        if (!bpf)
        {
            return $"Missing capability CAP_BPF: loading BPF programs needs CAP_BPF (or CAP_SYS_ADMIN). {GrantHint}.";
        }
        if (!perfmon)
        {
            return "Missing capability CAP_PERFMON: sampling every CPU and reading kernel memory from BPF needs CAP_PERFMON "
                + $"(or CAP_SYS_ADMIN). {GrantHint}.";
        }
        if (!btfPresent)
        {
            return $"Missing kernel feature BTF: {BtfPath} does not exist. The kernel must be built with CONFIG_DEBUG_INFO_BTF=y, "
                + "which the profiler's CO-RE relocations and BTF-typed tracepoints need.";
        }
        var ringBuffer = probeRingBuffer();
        if (ringBuffer == 0)
        {
            return "Missing kernel feature BPF ring buffer: this kernel cannot create BPF_MAP_TYPE_RINGBUF maps (Linux 5.8 or later is needed).";
        }
        if (ringBuffer < 0)
        {
            return $"Could not probe for BPF ring buffer support: {LibbpfErrors.Describe(ringBuffer)} (errno {-ringBuffer}). "
                + ErrnoHints.For(-ringBuffer);
        }
        return null;
    }

    /// <summary>The calling thread's effective capability set (the CapEff line of its status file).</summary>
    public static ulong ReadEffectiveCapabilities()
    {
        foreach (var line in File.ReadLines(StatusPath))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
            {
                return ulong.Parse(line.AsSpan("CapEff:".Length).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
