namespace Collector.Processors.Symbolization.Elf;

/// <summary>
/// Where a file that could not be found was looked for: the paths mappings named and the files pid_lifecycle
/// held open (by the path they were opened from). Under process churn the first frames of a new executable often
/// carry only the kernel's build id, and the next batch the path or the open file; those are worth a look at
/// once, while asking the same places again before the retry interval is not.
/// </summary>
internal sealed class TriedSources
{
    public static readonly TriedSources None = new();

    /// <summary>Past this many sources a file waits for the retry interval like any other, so the sets stay small.</summary>
    private const int MostSources = 32;

    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    /// <summary>The sources of one look-up, added to those of <paramref name="earlier"/> when given.</summary>
    public static TriedSources Of(string mappingPath, string? heldPath, TriedSources? earlier)
    {
        var tried = new TriedSources();
        if (earlier is not null)
        {
            tried._paths.UnionWith(earlier._paths);
            tried._held.UnionWith(earlier._held);
        }
        tried._paths.Add(mappingPath);
        if (heldPath is not null) tried._held.Add(heldPath);
        return tried;
    }

    /// <summary>Whether a look-up with these sources could find what the earlier ones did not.</summary>
    public bool Lacks(string mappingPath, string? heldPath) =>
        _paths.Count + _held.Count < MostSources &&
        (!_paths.Contains(mappingPath) || (heldPath is not null && !_held.Contains(heldPath)));
}
