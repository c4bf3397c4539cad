using System.Diagnostics;
using System.Globalization;
using Collector.Core.Model;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// Python acceptance as a user sees it: the collector binary with the default processors profiles a script run by
/// each interpreter on the machine (Debian's python3 and the pyenv 3.10–3.13), started after the collector, and the
/// exported stacks name the hot function under its two callers, in order, typed <c>cpython</c>, with the script's
/// path as file and a line of each function's body. No addresses or interpreter internals are read by the test.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class PythonFramesTests(ITestOutputHelper output)
{
    private const int Seconds = 8;

    /// <summary>hot ← middle ← outer (<see cref="PythonCallChain"/>) for argv[1] seconds.</summary>
    private const string Script = "import sys, time\n\n" + PythonCallChain.Functions + "\n\nouter(time.time() + float(sys.argv[1]))\n";

    public static TheoryData<string> Interpreters => new("debian-3.11", "pyenv-3.10", "pyenv-3.12", "pyenv-3.13");

    [Theory]
    [MemberData(nameof(Interpreters))]
    public async Task Nine_in_ten_samples_name_the_hot_function_under_its_callers_with_file_and_line(string interpreter)
    {
        LiveProfiling.Require();
        var python = PythonInterpreters.Require(interpreter);
        using var directory = new TempDirectory();
        var script = directory.Write("chain.py", Script);
        using var run = await SymbolizingRun.StartAsync(directory, "    process_names: [\"^python3\"]", output);

        using var process = Process.Start(new ProcessStartInfo(python.Executable) { ArgumentList = { script, Seconds.ToString(CultureInfo.InvariantCulture) } })!;
        await ProcessDeadline.WaitForExitAsync(process, TimeSpan.FromSeconds(5 * Seconds + 60));
        Assert.Equal(0, process.ExitCode);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last report
        var batches = await run.StopAsync();

        var samples = ExportedSample.All(batches).Where(s => s.Pid == process.Id).ToList();
        var total = samples.Sum(s => s.Weight);
        var named = samples.Where(s => NamesTheChain(s, script)).Sum(s => s.Weight);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{interpreter}: {total} samples, {named} ({100.0 * named / Math.Max(1, total):F1}%) name hot ← middle ← outer with file and line"));
        // What the rest look like, for whoever reads a failure.
        foreach (var group in samples.Where(s => !NamesTheChain(s, script)).GroupBy(Describe).OrderByDescending(g => g.Sum(s => s.Weight)).Take(5))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Sum(s => s.Weight)} × {group.Key}"));
        }
        Assert.True(total >= Seconds * 99 / 2, $"only {total} samples of the script");
        Assert.True(named >= 0.9 * total, $"{named} of {total} samples name hot ← middle ← outer");
    }

    /// <summary>The stack leaf first, Python frames with their line, at most 12 frames.</summary>
    private static string Describe(ExportedSample sample) => string.Join(" ← ", sample.Frames.Take(12).Select(frame =>
        ExportedSample.FrameType(frame) == SemanticConventions.FrameTypeCpython && frame.Lines.Length > 0
            ? $"py:{frame.Lines[0].Function?.Name}:{frame.Lines[0].LineNumber}"
            : ExportedSample.FunctionName(frame) ?? $"0x{frame.Address:x}"));

    /// <summary>The innermost three Python frames are hot, middle, outer, each in the script, on a line of its own body.</summary>
    private static bool NamesTheChain(ExportedSample sample, string scriptPath)
    {
        var python = sample.Frames.Where(f => ExportedSample.FrameType(f) == SemanticConventions.FrameTypeCpython).Take(3).ToList();
        return python.Count == 3 && OnBodyLine(python[0], "hot", scriptPath) && OnBodyLine(python[1], "middle", scriptPath) && OnBodyLine(python[2], "outer", scriptPath);
    }

    private static bool OnBodyLine(Location frame, string name, string scriptPath)
    {
        var (def, first, last) = PythonCallChain.Lines(Script, name);
        return frame.Lines.Length > 0 && frame.Lines[0] is { Function: { } function } line
            && function.Name == name && function.Filename == scriptPath && function.StartLine == def
            && line.LineNumber >= first && line.LineNumber <= last;
    }
}
