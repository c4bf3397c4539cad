using System.Diagnostics;

namespace Collector.TestKit;

/// <summary>
/// Finds and runs the independent tools tests compare against (protoc, Python's protobuf and grpcio, curl,
/// promtool, prometheus, compilers and binutils), all from Debian packages that ./test.sh installs. One rule for
/// every test project: a missing tool skips the test with the reason (counted as skipped, never as passed), except
/// with CI=true, where it fails, so CI cannot pass without the check having run.
/// </summary>
public static class ExternalTools
{
    public const string SystemPython = "/usr/bin/python3";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ProtoRoot => Path.Combine(RepositoryRoot, "otlp", "Proto");

    /// <summary>Returns when <paramref name="available"/>; otherwise skips the test (fails it under CI=true).</summary>
    public static void Require(bool available, string reason)
    {
        if (!available) Unavailable($"{reason} (./test.sh installs it as root)");
    }

    public static void Require(string tool, string package) =>
        Require(OnPath(tool), $"{tool} is not installed (Debian package {package})");

    /// <summary>
    /// Skips the test for a missing prerequisite (a tool, a kernel feature, a privilege), or fails it under
    /// CI=true. Never returns.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Unavailable(string reason)
    {
        if (InCi) Assert.Fail($"prerequisite missing in CI: {reason}");
        Assert.Skip(reason);
    }

    /// <summary>CI=true: a missing prerequisite is a failure, so CI cannot pass without every check having run.</summary>
    public static bool InCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    public static bool PythonCanImport(string modules) =>
        File.Exists(SystemPython) && Run(SystemPython, ["-c", "import " + modules], stdin: null).ExitCode == 0;

    public static (int ExitCode, string Output, string Error) Run(string tool, IEnumerable<string> arguments, byte[]? stdin) =>
        RunAsync(tool, arguments, stdin).GetAwaiter().GetResult();

    /// <summary>
    /// Runs a tool to its end in the repository root, feeding it <paramref name="stdin"/>, with
    /// <paramref name="environment"/> added to this process's; fails the test after <paramref name="timeout"/> (two minutes).
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, IEnumerable<string> arguments, byte[]? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        await ProcessDeadline.WaitForExitAsync(process, timeout ?? TimeSpan.FromMinutes(2), what: $"{tool} {string.Join(' ', arguments)}");
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
