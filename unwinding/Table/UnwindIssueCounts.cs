using System.Text;

namespace Collector.Unwinding.Table;

/// <summary>How often each <see cref="UnwindIssue"/> happened while one table was built.</summary>
public sealed class UnwindIssueCounts
{
    private readonly int[] _counts = new int[Enum.GetValues<UnwindIssue>().Length];

    public int this[UnwindIssue issue] => _counts[(int)issue];

    /// <summary>All issues together.</summary>
    public int Total => _counts.Sum();

    internal void Add(UnwindIssue issue) => _counts[(int)issue]++;

    /// <summary>"Name=count" for every issue that happened, or "none".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var issue in Enum.GetValues<UnwindIssue>())
        {
            if (this[issue] == 0) continue;
            if (text.Length > 0) text.Append(", ");
            text.Append(issue).Append('=').Append(this[issue]);
        }
        return text.Length == 0 ? "none" : text.ToString();
    }
}
