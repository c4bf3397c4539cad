namespace Collector.Bpf.Tests.Support;

/// <summary>Paths in the source tree the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Bpf => Path.Combine(Root, "bpf");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Collector.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Collector.sln above {AppContext.BaseDirectory}");
    }
}
