using System.Text.RegularExpressions;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// The container id in <c>/proc/&lt;pid&gt;/cgroup</c>, for the layouts of the common runtimes:
/// <list type="bullet">
/// <item>docker: <c>/docker/&lt;id&gt;</c> (v1, cgroupfs driver), <c>docker-&lt;id&gt;.scope</c> (systemd driver)</item>
/// <item>containerd under Kubernetes: <c>/kubepods/&lt;qos&gt;/pod&lt;uid&gt;/&lt;id&gt;</c> (v1), <c>cri-containerd-&lt;id&gt;.scope</c> (systemd)</item>
/// <item>cri-o: <c>crio-&lt;id&gt;.scope</c> (and <c>crio-&lt;id&gt;</c> with cgroupfs)</item>
/// <item>podman: <c>libpod-&lt;id&gt;.scope</c>, <c>/libpod_parent/libpod-&lt;id&gt;</c></item>
/// </list>
/// An id is 64 lower-case hex digits forming a whole path segment (after the runtime's prefix), so hex
/// elsewhere in a path (pod uids, session ids) never passes for one. The innermost segment wins.
/// </summary>
internal static partial class ContainerIdParser
{
    [GeneratedRegex("^(?:docker-|cri-containerd-|crio-|libpod-)?(?<id>[0-9a-f]{64})(?:\\.scope)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    /// <summary>The container id in the file's lines (v2's <c>0::</c> line or any v1 hierarchy), or null.</summary>
    public static string? FromCgroupFile(string text)
    {
        string? found = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (FromCgroupLine(line.ToString()) is { } id)
            {
                found = id;
                // v2's unified line is authoritative when present; v1 lines agree with it anyway.
                if (line.StartsWith("0::", StringComparison.Ordinal)) return id;
            }
        }
        return found;
    }

    /// <summary>"hierarchy-id:controllers:path" → the id in the path, or null.</summary>
    public static string? FromCgroupLine(string line)
    {
        var second = line.IndexOf(':', line.IndexOf(':', StringComparison.Ordinal) + 1);
        var path = second < 0 ? line : line[(second + 1)..];
        string? innermost = null;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Segment().Match(segment);
            if (match.Success) innermost = match.Groups["id"].Value;
        }
        return innermost;
    }
}
