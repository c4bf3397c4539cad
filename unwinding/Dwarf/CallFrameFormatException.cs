using Collector.Unwinding.Table;

namespace Collector.Unwinding.Dwarf;

/// <summary>
/// Malformed call-frame information, raised deep inside a parser and caught at the entry it concerns, where the
/// reason is counted. It never leaves the library.
/// </summary>
internal sealed class CallFrameFormatException(UnwindIssue issue) : Exception(issue.ToString())
{
    public UnwindIssue Issue { get; } = issue;
}
