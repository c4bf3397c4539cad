using System.Text.RegularExpressions;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Container ids as runtimes put them in cgroup paths: 64 hex digits, bare (<c>/docker/&lt;id&gt;</c>,
/// <c>/kubepods/.../&lt;id&gt;</c>) or wrapped (<c>docker-&lt;id&gt;.scope</c>, <c>cri-containerd-&lt;id&gt;.scope</c>).
/// </summary>
internal static partial class ContainerIds
{
    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")]
    private static partial Regex Id();

    [GeneratedRegex("^[0-9a-f]{12,64}$")]
    private static partial Regex Filter();

    public static bool IsValidFilter(string filter) => Filter().IsMatch(filter);

    /// <summary>The innermost container id in a cgroup path, or null.</summary>
    public static string? FromCgroupPath(string path)
    {
        string? last = null;
        foreach (Match match in Id().Matches(path))
        {
            last = match.Value;
        }
        return last;
    }

    /// <summary>Whether the path belongs to the container <paramref name="filter"/> names (its full id or a prefix).</summary>
    public static bool Matches(string cgroupPath, string filter) =>
        FromCgroupPath(cgroupPath) is { } id && id.StartsWith(filter, StringComparison.Ordinal);
}
