namespace Collector.Host.Tests.Support;

/// <summary>Paths inside the repository and the built collector, found from the test binary's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The collector as built beside the tests (the host project is referenced, so its output is copied here).</summary>
    public static string CollectorDll { get; } = Path.Combine(AppContext.BaseDirectory, "collector.dll");

    /// <summary>
    /// The executable the end-to-end tests run instead of <see cref="CollectorDll"/>: <c>COLLECTOR_BINARY</c>, which
    /// test.sh points at run.sh's build (Native AOT where it can link), so the binary users run is the one tested.
    /// </summary>
    public static string? CollectorBinary { get; } = Environment.GetEnvironmentVariable("COLLECTOR_BINARY") is { Length: > 0 } path ? path : null;

    public static string ShippedConfig => Path.Combine(Root, "collector.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collector.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Collector.sln not found above " + AppContext.BaseDirectory);
    }
}
