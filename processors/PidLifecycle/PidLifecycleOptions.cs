using Collector.Core.Components;

namespace Collector.Processors.PidLifecycle;

/// <summary>Options of the <c>pid_lifecycle</c> processor.</summary>
public sealed class PidLifecycleOptions : IComponentOptions
{
    public const int DefaultMaxProcesses = 8192;

    /// <summary>
    /// The most processes the table tracks (live, or exited and waiting for the watermark). 8192 covers a busy
    /// host (a few thousand processes plus a second's churn of short-lived ones) in a few MB; beyond it the
    /// earliest exited, then the least recently sampled processes are evicted (counted and logged).
    /// </summary>
    public int MaxProcesses { get; set; } = DefaultMaxProcesses;

    /// <summary>
    /// The shortest time between two reads of one process's maps after an address fell in no known mapping
    /// (dlopen, JIT): a process jumping through unmapped addresses cannot make us re-read /proc per sample.
    /// </summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where /proc is mounted. Tests point it at a fake tree; not meant for configs.</summary>
    public string ProcRoot { get; set; } = "/proc";

    public IEnumerable<OptionsError> Validate()
    {
        if (MaxProcesses < 1)
        {
            yield return new OptionsError("max_processes", $"must be at least 1, got {MaxProcesses}");
        }
        if (RescanInterval < TimeSpan.Zero)
        {
            yield return new OptionsError("rescan_interval", "must not be negative (0 rescans on every miss)");
        }
        if (string.IsNullOrWhiteSpace(ProcRoot) || !ProcRoot.StartsWith('/'))
        {
            yield return new OptionsError("proc_root", $"\"{ProcRoot}\" must be an absolute path");
        }
    }
}
