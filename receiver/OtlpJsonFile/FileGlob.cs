using System.Text;
using System.Text.RegularExpressions;

namespace Collector.Receivers.OtlpJsonFile;

/// <summary>
/// Expands a path pattern into the files it names. Wildcards: <c>*</c> and <c>?</c> within one path segment,
/// <c>**</c> as a whole segment for any number of directories. A pattern without wildcards names one file.
/// </summary>
internal sealed class FileGlob
{
    private readonly string _root;
    private readonly string[] _segments;
    private readonly Regex?[] _matchers;

    public FileGlob(string pattern, string workingDirectory)
    {
        Pattern = pattern;
        var full = Path.GetFullPath(pattern, workingDirectory);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var literal = 0;
        while (literal < parts.Length - 1 && !HasWildcard(parts[literal])) literal++;
        _root = "/" + string.Join('/', parts[..literal]);
        _segments = parts[literal..];
        _matchers = Array.ConvertAll(_segments, s => s == "**" || !HasWildcard(s) ? null : ToRegex(s));
    }

    public string Pattern { get; }

    /// <summary>Matching files, in ordinal path order so replays are repeatable.</summary>
    public IReadOnlyList<string> Expand()
    {
        var found = new List<string>();
        Walk(_root, 0, found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static bool HasWildcard(string segment) => segment.AsSpan().IndexOfAny('*', '?') >= 0;

    private static Regex ToRegex(string segment)
    {
        var regex = new StringBuilder("^");
        foreach (var c in segment)
        {
            regex.Append(c switch
            {
                '*' => "[^/]*",
                '?' => "[^/]",
                _ => Regex.Escape(c.ToString()),
            });
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private void Walk(string directory, int index, List<string> found)
    {
        var segment = _segments[index];
        var last = index == _segments.Length - 1;
        try
        {
            if (segment == "**")
            {
                // Zero directories here, or one more level and the same segment again.
                if (!last) Walk(directory, index + 1, found);
                foreach (var child in new DirectoryInfo(directory).EnumerateDirectories())
                {
                    // Not through symbolic links: a link to an ancestor would recurse forever.
                    if (!child.Attributes.HasFlag(FileAttributes.ReparsePoint)) Walk(child.FullName, index, found);
                }
                if (last)
                {
                    found.AddRange(Directory.EnumerateFiles(directory));
                }
                return;
            }
            if (_matchers[index] is not { } matcher)
            {
                var path = Path.Combine(directory, segment);
                if (last && File.Exists(path)) found.Add(path);
                else if (!last && Directory.Exists(path)) Walk(path, index + 1, found);
                return;
            }
            var entries = last ? Directory.EnumerateFiles(directory) : Directory.EnumerateDirectories(directory);
            foreach (var entry in entries)
            {
                if (!matcher.IsMatch(Path.GetFileName(entry))) continue;
                if (last) found.Add(entry);
                else Walk(entry, index + 1, found);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A directory that vanished or that we may not list holds no files for us; the next scan looks again.
        }
    }
}
