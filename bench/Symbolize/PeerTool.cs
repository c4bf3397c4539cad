using System.Diagnostics;
using System.Globalization;

namespace Collector.Bench.Symbolize;

/// <summary>
/// A symbolizer we compare with, run as a whole process per file (start, load, resolve every address from
/// standard input, exit), timed by wall clock, its function names parsed from its output.
/// </summary>
internal sealed class PeerTool(string label, string executable, Func<string, string[]> arguments, Func<string, int, string?[]> parseNames)
{
    public string Label { get; } = label;

    /// <summary>
    /// llvm-symbolizer: function names from symbol tables only (no DWARF, no separate debug files), raw names,
    /// one frame per address. Output: name, location, blank line.
    /// </summary>
    public static PeerTool LlvmSymbolizer(string executable) => new(
        Path.GetFileName(executable),
        executable,
        path => [$"--obj={path}", "--functions=linkage", "--no-inlines", "--no-demangle", "--debug-file-directory=/nonexistent"],
        (output, count) => FirstLines(output.Split('\n'), count, linesPerAddress: 3));

    /// <summary>eu-addr2line: function names (-f), raw, debug info search switched off. Output: name, location.</summary>
    public static PeerTool EuAddr2line(string executable) => new(
        Path.GetFileName(executable),
        executable,
        path => ["--debuginfo-path=/nonexistent", "-f", "-e", path],
        (output, count) => FirstLines(output.Split('\n'), count, linesPerAddress: 2));

    /// <summary>
    /// Runs the tool once over the set under bash's <c>time</c> (input and output are files, so nothing of ours
    /// runs meanwhile): its wall time and the CPU time (user + system) of the tool's process.
    /// </summary>
    public (Timing Time, string?[] Names) Measure(AddressSet set)
    {
        var directory = Directory.CreateTempSubdirectory("symbolize-bench-").FullName;
        try
        {
            var (input, output, error) = (Path.Combine(directory, "in"), Path.Combine(directory, "out"), Path.Combine(directory, "err"));
            File.WriteAllBytes(input, set.Input);
            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("TIMEFORMAT='%R %U %S'; time { \"$0\" \"$@\" < \"$IN\" > \"$OUT\" 2> \"$ERR\"; }");
            start.ArgumentList.Add(executable);
            foreach (var argument in arguments(set.Path)) start.ArgumentList.Add(argument);
            (start.Environment["IN"], start.Environment["OUT"], start.Environment["ERR"]) = (input, output, error);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
            var report = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Label} did not finish within 5 minutes");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"{Label} exited with {process.ExitCode}: {File.ReadAllText(error)}");
            var seconds = report.GetAwaiter().GetResult().Trim().Split('\n')[^1].Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            var time = new Timing(seconds[0] * 1000, (seconds[1] + seconds[2]) * 1000);
            return (time, parseNames(File.ReadAllText(output), set.Addresses.Length));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The first line of each address's block; "??" (unresolved) becomes null.</summary>
    private static string?[] FirstLines(string[] lines, int count, int linesPerAddress)
    {
        var names = new string?[count];
        for (var i = 0; i < count && (long)i * linesPerAddress < lines.Length; i++)
        {
            var name = lines[i * linesPerAddress].Trim();
            names[i] = name is "??" or "" ? null : name;
        }
        return names;
    }
}
