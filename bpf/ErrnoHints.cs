namespace Collector.Bpf;

/// <summary>What an errno from bpf(2) or perf_event_open(2) usually means for this profiler, in operator terms.</summary>
internal static class ErrnoHints
{
    public const int EPERM = 1;
    public const int EINTR = 4;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int E2BIG = 7;
    public const int EACCES = 13;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int EOPNOTSUPP = 95;

    public static string? For(int errno) => errno switch
    {
        EPERM or EACCES =>
            "The process lacks CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), or a security policy (seccomp, AppArmor/SELinux, kernel lockdown) forbids BPF",
        ENOENT or ESRCH => "The kernel lacks a needed hook or feature (BTF-typed tracepoints need Linux 5.5+ with CONFIG_DEBUG_INFO_BTF)",
        EOPNOTSUPP => "The kernel does not support this operation",
        _ => null,
    };

    /// <summary>perf_event_open errors name perf's own requirements rather than BPF's.</summary>
    public static string? ForPerfEvent(int errno, int cpu) => errno switch
    {
        EPERM or EACCES =>
            "Sampling every process needs CAP_PERFMON (or CAP_SYS_ADMIN); without it kernel.perf_event_paranoid must be -1",
        ENOENT or EOPNOTSUPP => "The kernel has no PERF_COUNT_SW_CPU_CLOCK software event (CONFIG_PERF_EVENTS)",
        ENODEV => $"CPU {cpu} went offline",
        _ => null,
    };
}
