namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Where a process is in its life as the table sees it. Only these moves exist:
/// unknown → live (learned at exec, fork or first sample), live → exited (exit event: recorded only),
/// exited → forgotten (the watermark passed the exit), and live/exited → forgotten by eviction at the cap.
/// A forgotten process has no entry; asking about it again starts over at unknown.
/// </summary>
internal enum ProcessState
{
    Unknown,
    Live,
    Exited,
    Forgotten,
}

internal static class ProcessStates
{
    public static bool IsAllowed(ProcessState from, ProcessState to) => (from, to) switch
    {
        (ProcessState.Unknown, ProcessState.Live) => true,
        (ProcessState.Live, ProcessState.Exited) => true,
        (ProcessState.Live, ProcessState.Forgotten) => true,
        (ProcessState.Exited, ProcessState.Forgotten) => true,
        _ => false,
    };

    /// <summary>The metric label of a transition, e.g. <c>live_to_exited</c>.</summary>
    public static string Label(ProcessState from, ProcessState to) =>
        $"{from.ToString().ToLowerInvariant()}_to_{to.ToString().ToLowerInvariant()}";

    public static readonly (ProcessState From, ProcessState To)[] All =
    [
        (ProcessState.Unknown, ProcessState.Live),
        (ProcessState.Live, ProcessState.Exited),
        (ProcessState.Live, ProcessState.Forgotten),
        (ProcessState.Exited, ProcessState.Forgotten),
    ];
}
