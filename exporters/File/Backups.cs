using System.Globalization;
using System.Text.RegularExpressions;

namespace Collector.Exporters.File;

/// <summary>
/// Names and prunes rotated files. A backup of <c>dir/profiles.jsonl</c> is
/// <c>dir/profiles-2026-11-21T15-04-05.123.jsonl</c>: the stamp sorts as text in time order and keeps the
/// original extension, so tools that pick files by extension (zcat, our own receiver) still recognise it.
/// </summary>
internal sealed class Backups
{
    private const string StampFormat = "yyyy-MM-dd'T'HH-mm-ss.fff";

    private readonly string _directory;
    private readonly string _stem;
    private readonly string _extension;
    private readonly Regex _pattern;

    public Backups(string path)
    {
        var full = Path.GetFullPath(path);
        _directory = Path.GetDirectoryName(full) ?? "/";
        _extension = Path.GetExtension(full);
        _stem = Path.GetFileNameWithoutExtension(full);
        _pattern = new Regex(
            "^" + Regex.Escape(_stem) + @"-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}" + Regex.Escape(_extension) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// A backup path for a rotation at <paramref name="time"/> that no file holds yet. Two rotations within one
    /// millisecond would collide, so the stamp moves on by a millisecond until the name is free.
    /// </summary>
    public string NewName(DateTime time)
    {
        while (true)
        {
            var candidate = Path.Combine(_directory, $"{_stem}-{time.ToString(StampFormat, CultureInfo.InvariantCulture)}{_extension}");
            if (!System.IO.File.Exists(candidate)) return candidate;
            time = time.AddMilliseconds(1);
        }
    }

    /// <summary>Existing backups, oldest first.</summary>
    public IReadOnlyList<string> List()
    {
        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            if (_pattern.IsMatch(Path.GetFileName(file))) names.Add(file);
        }
        // Same stem and extension, fixed-width stamp: ordinal order is time order.
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The oldest backups beyond <paramref name="keep"/> (0 keeps all).</summary>
    public IEnumerable<string> Excess(int keep)
    {
        if (keep <= 0) return [];
        var all = List();
        return all.Take(Math.Max(0, all.Count - keep));
    }
}
