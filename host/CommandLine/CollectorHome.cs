namespace Collector.Host.CommandLine;

/// <summary>
/// <c>COLLECTOR_HOME</c> names the folder the collector ships in, so configs (the embedded default among
/// them) can refer to bundled files as <c>${env:COLLECTOR_HOME}/samples/...</c> wherever the process runs.
/// </summary>
internal static class CollectorHome
{
    public const string Variable = "COLLECTOR_HOME";

    public static void EnsureSet()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        }
    }
}
