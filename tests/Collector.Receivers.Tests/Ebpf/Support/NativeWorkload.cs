using System.Diagnostics;
using System.Globalization;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>
/// A C program the tests compile (clang-14, frame pointers kept, no inlining or sibling calls, not PIE so
/// nm's addresses are the run-time ones) and run in one of its modes:
/// <list type="bullet">
/// <item><c>cpu SECONDS</c>: main → mid → leaf_hot (70% of the work) / leaf_cold (30%);</item>
/// <item><c>syscalls SECONDS</c>: a tight loop of getppid(2) and 1-byte writes to /dev/null;</item>
/// <item><c>spin SECONDS</c>: a plain busy loop in main.</item>
/// </list>
/// At exit it prints the CPU seconds it used, which is what the sample counts are compared against.
/// </summary>
internal sealed class NativeWorkload
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/syscall.h>
        #include <time.h>
        #include <unistd.h>

        #define UNIT 20000UL

        static volatile unsigned long sink;
        static volatile unsigned long rounds;

        static double now(clockid_t clock)
        {
            struct timespec ts;
            clock_gettime(clock, &ts);
            return ts.tv_sec + ts.tv_nsec / 1e9;
        }

        /* Both leaves do the same work per iteration, so time splits as their iteration counts do. */
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
            leaf_hot(7 * UNIT);
            leaf_cold(3 * UNIT);
            rounds++;
        }

        int main(int argc, char **argv)
        {
            double deadline = now(CLOCK_MONOTONIC) + (argc > 2 ? atof(argv[2]) : 1.0);
            const char *mode = argc > 1 ? argv[1] : "cpu";
            if (strcmp(mode, "cpu") == 0) {
                while (now(CLOCK_MONOTONIC) < deadline)
                    mid();
            } else if (strcmp(mode, "syscalls") == 0) {
                int fd = open("/dev/null", O_WRONLY);
                char byte = 0;
                while (now(CLOCK_MONOTONIC) < deadline)
                    for (int i = 0; i < 1000; i++) {
                        syscall(SYS_getppid);
                        if (write(fd, &byte, 1) != 1)
                            return 1;
                    }
            } else {
                while (now(CLOCK_MONOTONIC) < deadline)
                    sink++;
            }
            printf("%.6f\n", now(CLOCK_PROCESS_CPUTIME_ID));
            return 0;
        }
        """;

    private readonly (ulong Start, ulong End, string Name)[] _symbols;

    private NativeWorkload(string path, (ulong Start, ulong End, string Name)[] symbols)
    {
        Path = path;
        _symbols = symbols;
    }

    public string Path { get; }

    /// <summary>Compiles the workload into <paramref name="directory"/> under <paramref name="name"/> and reads its symbols.</summary>
    public static NativeWorkload Build(string directory, string name = "workload")
    {
        var source = System.IO.Path.Combine(directory, "workload.c");
        File.WriteAllText(source, Source);
        var binary = System.IO.Path.Combine(directory, name);
        Run("clang-14", "-O1", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer", "-fno-inline", "-fno-optimize-sibling-calls",
            "-fno-pie", "-no-pie", "-o", binary, source);
        // "address size type name" for every defined symbol with a size; T/t are functions.
        var symbols = Run("nm", "--defined-only", "--print-size", binary)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 4 && parts[2] is "T" or "t")
            .Select(parts =>
            {
                var start = ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return (start, start + ulong.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), parts[3]);
            })
            .ToArray();
        return new NativeWorkload(binary, symbols);
    }

    /// <summary>A copy under another name, so its comm differs (for the process_names filter).</summary>
    public NativeWorkload CopyAs(string name)
    {
        var copy = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, name);
        File.Copy(Path, copy, overwrite: true);
        return new NativeWorkload(copy, _symbols);
    }

    public Process Start(string mode, double seconds)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true };
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
    }

    /// <summary>Waits for the workload and returns the CPU seconds it reported.</summary>
    public static double WaitForCpuSeconds(Process process)
    {
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The function containing <paramref name="address"/> by the workload's own symbol table, or null.</summary>
    public string? Resolve(ulong address) =>
        _symbols.FirstOrDefault(symbol => address >= symbol.Start && address < symbol.End).Name;

    /// <summary>Whether the workload's symbol table names <paramref name="function"/> (sanity for the resolver).</summary>
    public bool Defines(string function) => _symbols.Any(symbol => symbol.Name == function);

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {stderr.Result}");
    }
}
