using System.Text;

namespace Collector.Host.Tests.Support;

/// <summary>Prometheus's own linter as the judge of our expositions.</summary>
public static class Promtool
{
    /// <summary><c>promtool check metrics</c> on an exposition: its exit code and everything it printed (nothing when clean).</summary>
    public static async Task<(int ExitCode, string Complaints)> CheckMetricsAsync(string exposition)
    {
        var (code, output, error) = await ExternalTools.RunAsync("promtool", ["check", "metrics"], Encoding.UTF8.GetBytes(exposition));
        return (code, output + error);
    }
}
