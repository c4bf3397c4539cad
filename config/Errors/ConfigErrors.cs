using Collector.Config.Yaml;

namespace Collector.Config.Errors;

/// <summary>
/// Collects every problem found during one load, so the user sees them all at once, then lists them in the
/// order of the sources and lines they point at.
/// </summary>
internal sealed class ConfigErrors
{
    private readonly List<(ConfigLocation? Location, string Text)> _errors = [];

    public bool Any => _errors.Count > 0;

    /// <summary>Adds <c>path: message (source:line)</c>; an empty path leaves out the prefix.</summary>
    public void Add(string path, string message, ConfigLocation? location)
    {
        var text = path.Length == 0 ? message : $"{path}: {message}";
        _errors.Add((location, location is { } at ? $"{text} ({at})" : text));
    }

    /// <summary>Adds a YAML syntax error, which reads <c>source:line: message</c> like a compiler diagnostic.</summary>
    public void AddSyntax(ConfigLocation location, string message) =>
        _errors.Add((location, $"{location}: {message}"));

    /// <summary>
    /// The errors by source, then line; errors without a location (a missing section) come last. The sort is
    /// stable, so errors on one line keep the order they were found in.
    /// </summary>
    public IReadOnlyList<string> Sorted() =>
        _errors
            .OrderBy(e => e.Location?.SourceIndex ?? int.MaxValue)
            .ThenBy(e => e.Location?.Line ?? int.MaxValue)
            .Select(e => e.Text)
            .ToList();
}
