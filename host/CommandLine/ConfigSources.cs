using System.Reflection;
using Collector.Config;

namespace Collector.Host.CommandLine;

/// <summary>Turns <c>--config</c> values into YAML sources; with none, the default pipeline embedded in the binary.</summary>
internal static class ConfigSources
{
    public const string EmbeddedName = "collector.yaml (embedded)";

    /// <summary>
    /// Each value is a path, optionally written as <c>file:path</c> as the Collector accepts. Throws
    /// <see cref="ConfigException"/> for a file that cannot be read, naming it.
    /// </summary>
    public static IReadOnlyList<ConfigSource> Resolve(IReadOnlyList<string> values)
    {
        if (values.Count == 0) return [Embedded()];
        var sources = new List<ConfigSource>();
        var errors = new List<string>();
        foreach (var value in values)
        {
            var path = value.StartsWith("file:", StringComparison.Ordinal) ? value["file:".Length..] : value;
            try
            {
                sources.Add(ConfigSource.FromFile(path));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add($"cannot read config file \"{path}\": {error.Message}");
            }
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        return sources;
    }

    public static ConfigSource Embedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("collector.yaml")
            ?? throw new InvalidOperationException("the default collector.yaml is missing from the build");
        using var reader = new StreamReader(stream);
        return new ConfigSource(EmbeddedName, reader.ReadToEnd());
    }
}
