using System.Globalization;

namespace Collector.ProcMaps;

/// <summary>
/// Parses <c>/proc/&lt;pid&gt;/maps</c>: <c>start-end perms offset major:minor inode [path]</c>. The path is
/// everything after the inode and its padding, so it may hold spaces; the kernel escapes newlines as <c>\012</c>.
/// A line that does not parse is skipped (and counted by the caller), never fatal.
/// </summary>
public static class MapsParser
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>Every line that parses, in file order (ascending addresses).</summary>
    public static List<MapsEntry> Parse(string text, out int skipped)
    {
        var entries = new List<MapsEntry>();
        skipped = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty) continue;
            if (TryParseLine(line, out var entry)) entries.Add(entry);
            else skipped++;
        }
        return entries;
    }

    public static bool TryParseLine(ReadOnlySpan<char> line, out MapsEntry entry)
    {
        entry = default;
        if (!NextField(ref line, out var range) || !NextField(ref line, out var perms) || !NextField(ref line, out var offset) ||
            !NextField(ref line, out var device) || !NextField(ref line, out var inode))
        {
            return false;
        }
        var dash = range.IndexOf('-');
        var colon = device.IndexOf(':');
        if (dash < 0 || colon < 0 || perms.Length < 4) return false;
        if (!Hex(range[..dash], out var start) || !Hex(range[(dash + 1)..], out var end) || end < start ||
            !Hex(offset, out var fileOffset) || !Hex(device[..colon], out var major) || !Hex(device[(colon + 1)..], out var minor) ||
            !ulong.TryParse(inode, NumberStyles.None, CultureInfo.InvariantCulture, out var inodeNumber) ||
            major > uint.MaxValue || minor > uint.MaxValue)
        {
            return false;
        }
        var path = line.TrimStart(' ');
        var deleted = path.EndsWith(DeletedSuffix, StringComparison.Ordinal);
        if (deleted) path = path[..^DeletedSuffix.Length];
        entry = new MapsEntry(start, end, perms[2] == 'x', fileOffset, (uint)major, (uint)minor, inodeNumber, path.ToString(), deleted);
        return true;
    }

    /// <summary>The next space-separated field; the rest of the line (after one space) stays in <paramref name="line"/>.</summary>
    private static bool NextField(ref ReadOnlySpan<char> line, out ReadOnlySpan<char> field)
    {
        line = line.TrimStart(' ');
        var space = line.IndexOf(' ');
        if (space < 0)
        {
            field = line;
            line = [];
        }
        else
        {
            field = line[..space];
            line = line[(space + 1)..];
        }
        return !field.IsEmpty;
    }

    private static bool Hex(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
