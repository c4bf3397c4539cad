using System.Diagnostics;
using Xunit.Abstractions;

namespace Collector.Receivers.Tests.Otlp.Interop;

/// <summary>
/// Finds and runs the independent peers of the interop tests (grpcio, protoc, curl). Same rules as the
/// exporter interop tests: a missing tool makes the test say so in its output and return, except with
/// CI=true, where it fails, so CI cannot pass without the check having run.
/// </summary>
internal static class ExternalTools
{
    public const string SystemPython = "/usr/bin/python3";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ProtoRoot => Path.Combine(RepositoryRoot, "core", "Otlp", "Proto");

    public static bool Require(bool available, string reason, ITestOutputHelper output)
    {
        if (available) return true;
        var message = $"{reason} (./test.sh installs it as root)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"interop tool missing in CI: {message}");
        }
        output.WriteLine($"SKIPPED: {message}");
        return false;
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    public static bool PythonCanImport(string modules) =>
        File.Exists(SystemPython) && RunAsync(SystemPython, ["-c", "import " + modules]).GetAwaiter().GetResult().ExitCode == 0;

    /// <summary>Runs a tool to its end (two minutes at most) without blocking a thread while it runs.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within two minutes");
        }
        return (process.ExitCode, await output, await error);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Collector.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Collector.sln above {AppContext.BaseDirectory}");
    }
}
