using Collector.Bpf;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// The Linux capabilities a profiling agent uses beyond BPF and PERFMON (which <see cref="KernelRequirements"/>
/// demands), each with what the agent loses without it. None of them is needed to start: a collector without one
/// keeps sampling and says at start what it will not be able to do. docs/deploy.md lists the same, with the reasons.
/// </summary>
public static class AgentCapabilities
{
    /// <summary>One capability: its number (linux/capability.h), its name without CAP_, and the cost of lacking it.</summary>
    public sealed record Capability(int Number, string Name, string CostWhenMissing)
    {
        /// <summary>Another capability the kernel accepts in its place (older kernels check CAP_SYS_ADMIN), or null.</summary>
        public int? Alternative { get; init; }

        /// <summary>The first kernel release on which nothing is lost without it, or null when every kernel needs it.</summary>
        public Version? UnneededFrom { get; init; }
    }

    /// <summary>Needed to load and run the profiler: without them the collector exits with an error naming them.</summary>
    public static readonly IReadOnlyList<Capability> Required =
    [
        new(KernelRequirements.CapBpf, "BPF", "BPF programs and maps cannot be loaded: the collector exits"),
        new(KernelRequirements.CapPerfmon, "PERFMON", "no perf events on every CPU and no kernel memory reads from BPF: the collector exits"),
    ];

    /// <summary>Used when available; each missing one is named at start with what it costs.</summary>
    public static readonly IReadOnlyList<Capability> Optional =
    [
        new(19, "SYS_PTRACE", "the memory maps, executables and root directories of other users' processes (other containers' processes, usually) "
            + "cannot be read: their user frames keep address and build id but no function name, and the native unwinder walks them by frame pointer"),
        new(2, "DAC_READ_SEARCH", "executables and libraries the collector's user may not read (inside other containers, through /proc/<pid>/root) "
            + "cannot be opened: frames in them keep address and build id but no function name"),
        new(40, "CHECKPOINT_RESTORE", "/proc/<pid>/map_files cannot be opened: mapped files are read by path instead, so frames of files deleted "
            + "or replaced since they were mapped keep address and build id but no function name") { Alternative = KernelRequirements.CapSysAdmin },
        new(34, "SYSLOG", "/proc/kallsyms shows every kernel address as zero (unless kernel.kptr_restrict=0 and kernel.perf_event_paranoid<=1): "
            + "kernel frames keep their address but no function name"),
        new(24, "SYS_RESOURCE", "RLIMIT_MEMLOCK cannot be raised: on kernels before 5.11, which charge BPF maps to it, loading may fail "
            + "(nothing is lost on 5.11 and later)") { UnneededFrom = new Version(5, 11) },
        new(1, "DAC_OVERRIDE", ".NET and Java processes of other users cannot be asked over their diagnostics sockets (mode 0600) to write perf maps: "
            + "their JIT frames stay unnamed unless they write perf maps themselves (DOTNET_PerfMapEnabled=1, -XX:+DumpPerfMapAtExit)"),
        new(5, "KILL", "HotSpot JVMs of other users cannot be signalled to open their attach socket: their JIT frames stay unnamed unless they "
            + "write perf maps themselves"),
    ];

    /// <summary>
    /// The optional capabilities missing from <paramref name="effective"/> (a CapEff mask) that the kernel
    /// <paramref name="kernel"/> (its release, null when unknown) needs, in the order of <see cref="Optional"/>.
    /// </summary>
    public static IReadOnlyList<Capability> MissingOptional(ulong effective, Version? kernel = null) =>
        [.. Optional.Where(capability => !Has(effective, capability.Number) && !(capability.Alternative is { } other && Has(effective, other))
            && !(capability.UnneededFrom is { } from && kernel is not null && kernel >= from))];

    private static bool Has(ulong effective, int number) => (effective & (1UL << number)) != 0;
}
