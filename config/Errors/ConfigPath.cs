namespace Collector.Config.Errors;

/// <summary>Config paths in the Collector's notation: levels joined by <c>::</c>, e.g. <c>exporters::file::rotation</c>.</summary>
internal static class ConfigPath
{
    public const string Separator = "::";

    public static string Combine(string path, string segment) => path.Length == 0 ? segment : path + Separator + segment;

    public static string Combine(string path, int index) =>
        Combine(path, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
