using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>clock_gettime(2), for the clocks the kernel side stamps records with.</summary>
internal static unsafe partial class Clocks
{
    public const int Realtime = 0;

    /// <summary>What bpf_ktime_get_ns() reads.</summary>
    public const int Monotonic = 1;

    /// <summary>Monotonic plus time suspended: the clock of task start times.</summary>
    public const int Boottime = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Libraries.Libc, EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int GetTime(int clock, TimeSpec* time);

    public static ulong Nanoseconds(int clock)
    {
        TimeSpec time;
        if (GetTime(clock, &time) != 0)
        {
            throw new BpfException($"clock_gettime({clock}) failed", Marshal.GetLastPInvokeError());
        }
        return (ulong)time.Seconds * 1_000_000_000UL + (ulong)time.Nanoseconds;
    }
}
