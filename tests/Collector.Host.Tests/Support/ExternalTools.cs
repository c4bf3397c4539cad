using System.Diagnostics;
using Xunit.Abstractions;

namespace Collector.Host.Tests.Support;

/// <summary>Tools from Debian packages the telemetry tests use as independent judges: promtool and prometheus.</summary>
public static class ExternalTools
{
    /// <summary>
    /// False when the tool is missing: outside CI the test writes why and returns (xunit 2 has no dynamic skip);
    /// with CI=true a missing tool fails the test, so CI cannot pass without checking.
    /// </summary>
    public static bool Require(string tool, string package, ITestOutputHelper output)
    {
        if (OnPath(tool)) return true;
        var message = $"{tool} is not installed (Debian package {package}; test.sh installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"tool missing in CI: {message}");
        }
        output.WriteLine($"SKIPPED: {message}");
        return false;
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    /// <summary><c>promtool check metrics</c> on an exposition: its exit code and everything it printed (nothing when clean).</summary>
    public static async Task<(int ExitCode, string Complaints)> PromtoolCheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
