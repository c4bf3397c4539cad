using System.Diagnostics;
using Xunit.Abstractions;

namespace Collector.Exporters.Tests.Interop;

/// <summary>Finds and runs the external tools of the interop tests.</summary>
internal static class InteropTools
{
    public const string SystemPython = "/usr/bin/python3";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ProtoRoot => Path.Combine(RepositoryRoot, "core", "Otlp", "Proto");

    /// <summary>
    /// False when the tool is missing: outside CI the test then writes why to its output and returns (xunit 2
    /// has no dynamic skip); with CI=true a missing tool fails the test, so CI cannot pass without checking.
    /// </summary>
    public static bool Require(bool available, string reason, ITestOutputHelper output)
    {
        if (available) return true;
        var message = $"{reason} (install with tests/interop/install-tools.sh)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"interop tool missing in CI: {message}");
        }
        output.WriteLine($"SKIPPED: {message}");
        return false;
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => System.IO.File.Exists(Path.Combine(directory, tool)));

    public static bool PythonHasProtobuf() =>
        System.IO.File.Exists(SystemPython) && Run(SystemPython, ["-c", "import google.protobuf"], stdin: null).ExitCode == 0;

    public static (int ExitCode, string Output, string Error) Run(string tool, IEnumerable<string> arguments, byte[]? stdin)
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
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within two minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Collector.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Collector.sln above {AppContext.BaseDirectory}");
    }
}
