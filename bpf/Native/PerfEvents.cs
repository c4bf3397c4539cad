using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>perf_event_open(2), which libc does not wrap, so it goes through syscall(2).</summary>
internal static unsafe partial class PerfEvents
{
    /// <summary>__NR_perf_event_open on x86-64.</summary>
    private const long SyscallNumber = 298;

    public const uint TypeSoftware = 1;       // PERF_TYPE_SOFTWARE
    public const ulong ConfigCpuClock = 0;    // PERF_COUNT_SW_CPU_CLOCK
    public const ulong FlagDisabled = 1UL << 0;
    public const ulong FlagExcludeIdle = 1UL << 7;
    public const ulong FlagFrequency = 1UL << 10;
    public const ulong OpenCloseOnExec = 1UL << 3; // PERF_FLAG_FD_CLOEXEC

    [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags);

    /// <summary>Returns the new descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    public static int Open(ref PerfEventAttr attr, int pid, int cpu)
    {
        fixed (PerfEventAttr* pointer = &attr)
        {
            return (int)Syscall(SyscallNumber, pointer, pid, cpu, -1, OpenCloseOnExec);
        }
    }

    [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
