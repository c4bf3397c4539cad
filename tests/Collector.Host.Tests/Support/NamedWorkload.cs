using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Collector.Host.Tests.Support;

/// <summary>
/// C programs for the symbolization acceptance tests, built the way distributions build: position independent,
/// with a GNU build id, dynamically linked against libc. Frame pointers are kept so the kernel can walk the stack.
/// <list type="bullet">
/// <item><c>cpu SECONDS</c>: main → mid → leaf_hot (70%) / leaf_cold (30%);</item>
/// <item><c>libc SECONDS</c>: main calling rand(3) in a loop, so most time is spent inside libc;</item>
/// <item><c>syscalls SECONDS</c>: getppid(2) and 1-byte writes to /dev/null, so most time is in the kernel;</item>
/// <item><c>once MILLISECONDS</c>: burn_once spins for that long and the process exits (the churn child).</item>
/// </list>
/// </summary>
public sealed partial class NamedWorkload
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/syscall.h>
        #include <time.h>
        #include <unistd.h>

        static volatile unsigned long sink;

        static double now(void)
        {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            return ts.tv_sec + ts.tv_nsec / 1e9;
        }

        __attribute__((noinline)) void leaf_hot(unsigned long n)
        {
            unsigned long x = sink;
            for (unsigned long i = 0; i < n; i++)
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            sink = x;
        }

        __attribute__((noinline)) void leaf_cold(unsigned long n)
        {
            unsigned long x = sink;
            for (unsigned long i = 0; i < n; i++)
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            sink = x;
        }

        __attribute__((noinline)) void mid(void)
        {
            leaf_hot(140000);
            leaf_cold(60000);
        }

        __attribute__((noinline)) void burn_once(double seconds)
        {
            double deadline = now() + seconds;
            while (now() < deadline)
                for (int i = 0; i < 1000; i++)
                    sink = sink * 6364136223846793005UL + 1;
        }

        int main(int argc, char **argv)
        {
            const char *mode = argc > 1 ? argv[1] : "cpu";
            double amount = argc > 2 ? atof(argv[2]) : 1.0;
            if (strcmp(mode, "once") == 0) {
                burn_once(amount / 1000.0);
                return 0;
            }
            double deadline = now() + amount;
            if (strcmp(mode, "cpu") == 0) {
                while (now() < deadline)
                    mid();
            } else if (strcmp(mode, "libc") == 0) {
                while (now() < deadline)
                    for (int i = 0; i < 100000; i++)
                        sink += rand();
            } else {
                int fd = open("/dev/null", O_WRONLY);
                char byte = 0;
                while (now() < deadline)
                    for (int i = 0; i < 1000; i++) {
                        syscall(SYS_getppid);
                        if (write(fd, &byte, 1) != 1)
                            return 1;
                    }
            }
            return 0;
        }
        """;

    private NamedWorkload(string path, IReadOnlySet<string> functions, string buildId)
    {
        Path = path;
        Functions = functions;
        BuildId = buildId;
    }

    public string Path { get; }

    /// <summary>The names <c>nm</c> lists as functions (T/t) in the binary.</summary>
    public IReadOnlySet<string> Functions { get; }

    /// <summary>The GNU build id as <c>readelf -n</c> prints it.</summary>
    public string BuildId { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Compiles the workload into <paramref name="directory"/> under <paramref name="name"/> (at most 15 characters, so it is also the comm).</summary>
    public static NamedWorkload Build(string directory, string name)
    {
        var source = System.IO.Path.Combine(directory, name + ".c");
        File.WriteAllText(source, Source);
        var binary = System.IO.Path.Combine(directory, name);
        Run("clang-14", "-O1", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer", "-fno-inline", "-fno-optimize-sibling-calls",
            "-fPIE", "-pie", "-Wl,--build-id=sha1", "-o", binary, source);
        var functions = Run("nm", "--defined-only", binary)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 3 && parts[1] is "T" or "t")
            .Select(parts => parts[2])
            .ToHashSet(StringComparer.Ordinal);
        return new NamedWorkload(binary, functions, ReadBuildId(binary));
    }

    /// <summary>The build id <c>readelf -n</c> prints for <paramref name="file"/>.</summary>
    public static string ReadBuildId(string file)
    {
        var match = BuildIdLine().Match(Run("readelf", "-n", file));
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"readelf -n shows no build id for {file}");
    }

    /// <summary>The dynamic symbols <c>nm -D</c> lists as functions for a shared library.</summary>
    public static IReadOnlySet<string> DynamicFunctions(string library) =>
        Run("nm", "-D", "--defined-only", library)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 3 && parts[1] is "T" or "t" or "i" or "W")
            .Select(parts => parts[2].Split('@')[0])
            .ToHashSet(StringComparer.Ordinal);

    public Process Start(string mode, double amount)
    {
        var info = new ProcessStartInfo(Path) { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(mode);
        info.ArgumentList.Add(amount.ToString(CultureInfo.InvariantCulture));
        return Process.Start(info)!;
    }

    internal static string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
        return stdout.Result;
    }

    [GeneratedRegex(@"Build ID: ([0-9a-f]+)")]
    private static partial Regex BuildIdLine();
}
