namespace Collector.Unwinding.Table;

/// <summary>Which sections a table's rows came from.</summary>
[Flags]
public enum CallFrameSources
{
    None = 0,
    EhFrame = 1,
    DebugFrame = 2,
    /// <summary>.debug_frame of the separate debug file (found by build id or debuglink by the caller).</summary>
    SeparateDebugFrame = 4,
}
