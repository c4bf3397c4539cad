using System.Diagnostics;
using Xunit.Abstractions;

namespace Collector.Tests.Shared;

/// <summary>
/// Finds and runs the independent tools tests compare against (protoc, Python's protobuf and grpcio, curl,
/// promtool, prometheus), all from Debian packages that ./test.sh installs. One rule for every test project:
/// a missing tool makes the test write why to its output and return (xunit 2 has no dynamic skip), except with
/// CI=true, where it fails, so CI cannot pass without the check having run. Linked into each test project.
/// </summary>
internal static class ExternalTools
{
    public const string SystemPython = "/usr/bin/python3";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ProtoRoot => Path.Combine(RepositoryRoot, "otlp", "Proto");

    public static bool Require(bool available, string reason, ITestOutputHelper output)
    {
        if (available) return true;
        var message = $"{reason} (./test.sh installs it as root)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"tool missing in CI: {message}");
        }
        output.WriteLine($"SKIPPED: {message}");
        return false;
    }

    public static bool Require(string tool, string package, ITestOutputHelper output) =>
        Require(OnPath(tool), $"{tool} is not installed (Debian package {package})", output);

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    public static bool PythonCanImport(string modules) =>
        File.Exists(SystemPython) && Run(SystemPython, ["-c", "import " + modules], stdin: null).ExitCode == 0;

    public static (int ExitCode, string Output, string Error) Run(string tool, IEnumerable<string> arguments, byte[]? stdin) =>
        RunAsync(tool, arguments, stdin).GetAwaiter().GetResult();

    /// <summary>Runs a tool to its end (two minutes at most) in the repository root, feeding it <paramref name="stdin"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, IEnumerable<string> arguments, byte[]? stdin = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
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
