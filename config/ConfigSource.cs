namespace Collector.Config;

/// <summary>One YAML document to load: its text and the name messages use for it (a path, or "collector.yaml (embedded)").</summary>
public sealed record ConfigSource(string Name, string Text)
{
    public static ConfigSource FromFile(string path) => new(path, File.ReadAllText(path));
}
