using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf.Python;

/// <summary>
/// Acceptance for Python frames: real interpreters (Debian's python3 3.11 and the pyenv 3.10, 3.12, 3.13) profiled by the
/// receiver, their kernel-walked frames checked against the code object addresses and line tables the scripts print.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class CPythonFramesTests(ITestOutputHelper output) : IDisposable
{
    private const int Frequency = 99;
    private const double Seconds = 6;

    private readonly string _work = Directory.CreateTempSubdirectory("ebpf-python-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<string> Interpreters => ["system", "3.10.13", "3.12.1", "3.13.0"];

    [Theory]
    [MemberData(nameof(Interpreters))]
    public async Task The_hot_function_and_its_two_callers_name_nine_in_ten_samples_in_order_with_lines(string version)
    {
        var python = Interpreter(version);
        var run = await ProfileAsync(python, PythonWorkloads.CallChain);

        var hot = run.Code("hot");
        ulong[] chain = [hot, run.Code("middle"), run.Code("outer")];
        var named = run.Samples.Count(s => s.CPythonFrames.Length >= 3 && s.CPythonFrames.Span[..3].ToArray().Select(f => f.CodeAddress).SequenceEqual(chain));
        var hotFrames = run.Samples.Where(s => !s.CPythonFrames.IsEmpty && s.CPythonFrames.Span[0].CodeAddress == hot).Select(s => s.CPythonFrames.Span[0]).ToList();
        var inBody = hotFrames.Count(f => run.Line("hot", f.InstructionOffset) is { } line && line > run.FirstLine("hot"));
        output.WriteLine($"{version}: {run.Samples.Count} samples, {named} name hot ← middle ← outer; {inBody} of {hotFrames.Count} hot offsets on a line of its body");
        // Measured 89–98% per interpreter run on a loaded 2-core machine: the rest are counted placement mismatches (the
        // native walk and the Python chain disagree on the number of eval calls) and samples before detection.
        Assert.True(named >= 0.85 * run.Samples.Count, $"{named} of {run.Samples.Count} samples name hot ← middle ← outer");
        Assert.True(inBody >= 0.95 * hotFrames.Count, $"{inBody} of {hotFrames.Count} instruction offsets fall on a line of hot's body");

        // In the stack the Python frames stand where the evaluation loop was, leaf to root in order.
        var stacks = RawSampleConversion.ToResourceProfiles(new RawSampleSet { Samples = run.Samples, PeriodNanos = 1 })
            .SelectMany(r => r.ScopeProfiles[0].Profiles[0].Samples).ToList();
        var ordered = stacks.Where(s => IsSubsequence(chain, [.. s.Stack.Locations.Where(IsCpython).Select(l => l.Address)])).Sum(s => s.TimestampsUnixNano.Count);
        Assert.True(ordered >= 0.85 * run.Samples.Count, $"{ordered} of {run.Samples.Count} samples hold hot, middle, outer in order in their stack");
    }

    [Fact]
    public async Task Each_thread_names_its_own_function()
    {
        var run = await ProfileAsync(Interpreter("system"), PythonWorkloads.TwoThreads);

        var tids = run.Json.GetProperty("tids");
        foreach (var name in (string[])["spin_a", "spin_b"])
        {
            var tid = tids.GetProperty(name).GetInt32();
            var own = run.Samples.Where(s => s.Tid == tid).ToList();
            var named = own.Count(s => !s.CPythonFrames.IsEmpty && s.CPythonFrames.Span[0].CodeAddress == run.Code(name));
            output.WriteLine($"thread {tid}: {own.Count} samples, {named} name {name}");
            Assert.True(own.Count > 50, $"thread {name} hardly ran ({own.Count} samples)");
            Assert.True(named >= 0.9 * own.Count, $"{named} of {own.Count} samples of thread {tid} name {name}");
        }
    }

    [Fact]
    public async Task A_process_started_before_the_collector_is_walked_from_its_first_samples()
    {
        var python = Interpreter("system");
        var script = Script(PythonWorkloads.CallChain);
        using var process = Start(python, script, 60);
        var json = JsonDocument.Parse(await process.StandardOutput.ReadLineAsync() ?? "{}").RootElement;
        await Task.Delay(1000);
        await using (var session = await StartSessionAsync())
        {
            await Task.Delay(TimeSpan.FromSeconds(Seconds));
            await session.StopAsync();
            var run = new PythonRun(json, Samples(session, process.Id));
            // The process is found at its first sample (then its maps are read and CPython detected): count from there.
            var ordered = run.Samples.OrderBy(s => s.KtimeNanos).ToList();
            var first = ordered.FindIndex(s => !s.CPythonFrames.IsEmpty);
            Assert.True(first >= 0, "the running process was never walked");
            var after = ordered.Skip(first).ToList();
            var named = after.Count(s => !s.CPythonFrames.IsEmpty && s.CPythonFrames.Span[0].CodeAddress == run.Code("hot"));
            output.WriteLine($"{run.Samples.Count} samples; first Python frames {(after[0].KtimeNanos - ordered[0].KtimeNanos) / 1e6:F0} ms after the first sample; "
                + $"from there {named} of {after.Count} name hot; detected {session.Receiver.Python?.Detected}");
            Assert.True(named >= 0.9 * after.Count, $"{named} of {after.Count} samples name hot");
        }
        process.Kill();
        await process.WaitForExitAsync();
    }

    [Fact]
    public async Task Short_lived_children_of_a_python_program_are_walked()
    {
        var python = Interpreter("system");
        await using var session = await StartSessionAsync();
        using var process = Start(python, Script(PythonWorkloads.Children), 4);
        var children = new List<JsonElement>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var json = JsonDocument.Parse(line).RootElement;
            if (json.GetProperty("codes").TryGetProperty("child_hot", out _)) children.Add(json);
        }
        await process.WaitForExitAsync();
        await session.StopAsync();

        var walked = 0;
        var total = 0;
        var totalNamed = 0;
        foreach (var child in children)
        {
            var run = new PythonRun(child, Samples(session, child.GetProperty("pid").GetInt32()));
            var named = run.Samples.Count(s => !s.CPythonFrames.IsEmpty && s.CPythonFrames.Span[0].CodeAddress == run.Code("child_hot"));
            output.WriteLine($"child {child.GetProperty("pid")}: {run.Samples.Count} samples, {named} name child_hot");
            // A 1 s child is found at exec; on a loaded machine its first few hundred milliseconds may pass before that.
            if (named > 0) walked++;
            total += run.Samples.Count;
            totalNamed += named;
        }
        Assert.True(children.Count >= 3, $"only {children.Count} children ran");
        Assert.True(walked >= 0.8 * children.Count, $"{walked} of {children.Count} children have their Python frames named");
        Assert.True(totalNamed >= 0.6 * total, $"{totalNamed} of {total} samples of the children name child_hot");
    }

    [Fact]
    public async Task A_zlib_call_shows_its_native_frames_above_the_python_caller()
    {
        var python = Interpreter("system");
        var script = Script(PythonWorkloads.Compress);
        await using var session = await StartSessionAsync();
        using var process = Start(python, script, Seconds);
        var json = JsonDocument.Parse(await process.StandardOutput.ReadLineAsync() ?? "{}").RootElement;
        var libz = File.ReadAllLines($"/proc/{process.Id}/maps").Where(l => l.Contains("libz.so", StringComparison.Ordinal) && l.Split(' ')[1].Contains('x', StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0].Split('-')).Select(r => new CodeRange(Convert.ToUInt64(r[0], 16), Convert.ToUInt64(r[1], 16))).ToList();
        await process.WaitForExitAsync();
        await session.StopAsync();
        var run = new PythonRun(json, Samples(session, process.Id));

        Assert.NotEmpty(libz);
        var caller = run.Code("compress_caller");
        var stacks = RawSampleConversion.ToResourceProfiles(new RawSampleSet { Samples = [.. run.Samples.Where(s => !s.CPythonFrames.IsEmpty)], PeriodNanos = 1 })
            .SelectMany(r => r.ScopeProfiles[0].Profiles[0].Samples).ToList();
        var inZlib = stacks.Where(s =>
        {
            var locations = s.Stack.Locations;
            var first = locations.ToList().FindIndex(IsCpython);
            return first > 0 && locations[first].Address == caller && locations.Take(first).Any(l => libz.Any(r => r.Contains(l.Address)));
        }).Sum(s => s.TimestampsUnixNano.Count);
        var withPython = run.Samples.Count(s => !s.CPythonFrames.IsEmpty);
        output.WriteLine($"{run.Samples.Count} samples, {withPython} with Python frames, {inZlib} with libz frames above compress_caller");
        Assert.True(withPython >= 0.5 * run.Samples.Count, $"only {withPython} of {run.Samples.Count} samples have Python frames");
        Assert.True(inZlib >= 0.8 * withPython, $"{inZlib} of {withPython} samples show libz above compress_caller");
    }

    [Fact]
    public async Task Wrong_offsets_give_counted_failures_and_native_frames_without_a_crash()
    {
        var python = Interpreter("system");
        foreach (var (what, adjust) in ((string, Func<PythonWalkLayout, PythonWalkLayout>)[])
        [
            ("code pointer 8 bytes off", l => l with { FrameCode = (ushort)(l.FrameCode + 8) }),
            ("interpreter list far outside _PyRuntime", l => l with { RuntimeInterpretersHead = 0xfff0 }),
            ("frame chain through the wrong field", l => l with { FramePrevious = (ushort)(l.FramePrevious + 16) }),
        ])
        {
            var options = new EbpfProfilingOptions { SamplesPerSecond = Frequency, PythonLayoutAdjustment = adjust };
            await using var session = await StartSessionAsync(options);
            using var process = Start(python, Script(PythonWorkloads.CallChain), 3);
            var json = JsonDocument.Parse(await process.StandardOutput.ReadLineAsync() ?? "{}").RootElement;
            await process.WaitForExitAsync();
            await session.StopAsync();
            var samples = Samples(session, process.Id);
            var counters = session.Receiver.PythonWalks;
            var wrongChain = samples.Count(s => s.CPythonFrames.Length >= 3 && s.CPythonFrames.Span[0].CodeAddress != json.GetProperty("codes").GetProperty("hot").GetUInt64());
            output.WriteLine($"{what}: {samples.Count} samples, {samples.Count(s => !s.CPythonFrames.IsEmpty)} with Python frames ({wrongChain} wrong); walks {counters}; placement mismatches {session.Receiver.PythonMismatched}");
            Assert.True(counters.Walks > 0, "the process was never walked");
            Assert.True(counters.Failures > 0 || session.Receiver.PythonMismatched > 0, "no failure counted");
            Assert.Equal(0, wrongChain);
            // The native stacks stay whole: the evaluation loop frames are still there, in the process's own code.
            Assert.True(samples.Count(s => s.UserFrames.Length > 3) >= 0.5 * samples.Count, "the native frames are gone");
        }
    }

    /// <summary>
    /// A receiver session whose unwinder has read the processes already running: at start it reads every process on the
    /// machine at its first sample, and a workload started meanwhile would wait behind that backlog for its maps.
    /// </summary>
    private async Task<ReceiverSession> StartSessionAsync(EbpfProfilingOptions? options = null)
    {
        var session = await ReceiverSession.StartAsync(output, options ?? new EbpfProfilingOptions { SamplesPerSecond = Frequency });
        Assert.NotNull(session.Receiver.Python);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        await Task.Delay(1000);
        while (!session.Receiver.Unwinder!.Idle && DateTime.UtcNow < deadline) await Task.Delay(100);
        return session;
    }

    /// <summary>The interpreter's path: "system" is Debian's /usr/bin/python3 (3.11), others a pyenv version.</summary>
    private static string Interpreter(string version)
    {
        Prerequisites.Bpf();
        var path = version == "system" ? "/usr/bin/python3" : Path.Combine(PyenvRoot(), "versions", version, "bin", "python3");
        ExternalTools.Require(File.Exists(path), $"{path} is not installed");
        return path;
    }

    private static string PyenvRoot() =>
        Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } root ? root : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");

    private string Script(string text)
    {
        var path = Path.Combine(_work, $"workload{Guid.NewGuid():N}.py");
        File.WriteAllText(path, text);
        return path;
    }

    private static Process Start(string python, string script, double seconds) =>
        Process.Start(new ProcessStartInfo(python, [script, seconds.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"{python} did not start");

    private async Task<PythonRun> ProfileAsync(string python, string workload)
    {
        var script = Script(workload);
        await using var session = await StartSessionAsync();
        using var process = Start(python, script, Seconds);
        var json = JsonDocument.Parse(await process.StandardOutput.ReadLineAsync() ?? "{}").RootElement;
        await ProcessDeadline.WaitForExitAsync(process, TimeSpan.FromSeconds(5 * Seconds + 60), token => process.StandardOutput.ReadToEndAsync(token));
        await session.StopAsync();
        output.WriteLine($"walks {session.Receiver.PythonWalks}; placed {session.Receiver.PythonPlaced}, mismatched {session.Receiver.PythonMismatched}; "
            + $"detected {session.Receiver.Python?.Detected}, not supported {session.Receiver.Python?.Failed}");
        return new PythonRun(json, Samples(session, process.Id));
    }

    private static List<RawSample> Samples(ReceiverSession session, int pid) =>
        [.. session.Consumer.RawSamples.Where(s => s.Pid == pid && s.UserFrames.Length > 0)];

    private static bool IsCpython(Location location) =>
        location.Attributes.Contains(KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeCpython));

    private static bool IsSubsequence(ulong[] wanted, ulong[] sequence)
    {
        var next = 0;
        foreach (var item in sequence)
        {
            if (next < wanted.Length && item == wanted[next]) next++;
        }
        return next == wanted.Length;
    }

    /// <summary>The samples of one script run and what it printed about itself.</summary>
    private sealed record PythonRun(JsonElement Json, List<RawSample> Samples)
    {
        public ulong Code(string function) => Json.GetProperty("codes").GetProperty(function).GetUInt64();

        public int FirstLine(string function) => Json.GetProperty("lines").GetProperty(function).EnumerateArray().Min(r => r[2].GetInt32());

        /// <summary>The line of the instruction at <paramref name="offset"/>, from the function's co_lines().</summary>
        public int? Line(string function, uint offset)
        {
            foreach (var range in Json.GetProperty("lines").GetProperty(function).EnumerateArray())
            {
                if (offset >= range[0].GetUInt32() && offset < range[1].GetUInt32()) return range[2].GetInt32();
            }
            return null;
        }
    }
}
