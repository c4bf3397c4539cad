namespace Collector.Exporters.Flamegraph;

/// <summary>
/// The page's files, embedded in the assembly (Page/*.html|js|css and the vendored d3 and d3-flame-graph under
/// Page/vendor/), so the page works offline and from a single executable. Served by path, e.g. <c>/vendor/d3.min.js</c>.
/// </summary>
internal static class PageAssets
{
    private const string ResourcePrefix = "flamegraph/";

    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    public static bool TryGet(string path, out byte[] content, out string contentType)
    {
        if (Files.TryGetValue(path == "/" ? "/index.html" : path, out var file))
        {
            (content, contentType) = file;
            return true;
        }
        content = [];
        contentType = "";
        return false;
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files["/" + name[ResourcePrefix.Length..]] = (copy.ToArray(), ContentType(name));
        }
        return files;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
}
