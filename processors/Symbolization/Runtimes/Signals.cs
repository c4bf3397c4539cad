using System.Runtime.InteropServices;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>The one signal the collector sends: SIGQUIT, which makes a HotSpot JVM start its attach listener.</summary>
internal static partial class Signals
{
    private const int SigQuit = 3;

    /// <summary>True when the signal was delivered (false: the process is gone or not ours to signal).</summary>
    public static bool Quit(int pid) => Kill(pid, SigQuit) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
