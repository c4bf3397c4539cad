using System.Text.Json;
using Collector.Core.Model;
using Collector.Processors.Symbolization;
using static Collector.Processors.Tests.Symbolization.Batches;

namespace Collector.Processors.Tests.Symbolization.Python;

/// <summary>
/// The symbolization processor on hand-built profiles whose cpython locations point at real code objects of a live
/// interpreter (their addresses from id(code), their instruction offsets from the frames' f_lasti), checked against
/// the names, files and lines (f_lineno) the interpreter gives for the same frames.
/// </summary>
public sealed class CPythonResolverTests : IDisposable
{
    // A three-deep chain that records, in each frame, what a sampler would see: code address and instruction offset.
    private const string ChainScript = """
        import json, sys
        seen = []
        def record():
            frame = sys._getframe(1)
            code = frame.f_code
            seen.append({"code": id(code), "offset": frame.f_lasti, "line": frame.f_lineno, "first": code.co_firstlineno,
                         "name": getattr(code, "co_qualname", code.co_name), "file": code.co_filename})
        class Work:
            def hot(self):
                record()
                return 1
        def middle():
            record()
            return Work().hot()
        def outer():
            record()
            return middle()
        outer()
        print(json.dumps(seen), flush=True)
        sys.stdin.readline()
        """;

    private readonly SymbolizerSandbox _sandbox = new();
    private readonly CapturingConsumer _next = new();
    private readonly List<SymbolizationProcessor> _processors = [];

    public static TheoryData<string> Interpreters => PythonInterpreters.All;

    [Theory]
    [MemberData(nameof(Interpreters))]
    public async Task Cpython_frames_get_qualified_name_file_first_line_and_line(string name)
    {
        var interpreter = PythonInterpreters.Require(name);
        using var python = PythonProcess.Start(interpreter, ChainScript);
        var frames = JsonDocument.Parse(python.Report).RootElement.EnumerateArray().ToArray();
        var processor = Processor();

        await processor.ConsumeAsync(Of(Process(python.Pid, Stack([.. frames.Select(CpythonFrame)]))), default);

        var stack = Assert.Single(Samples(_next.Batches[0])).Stack;
        Assert.Equal(3, stack.Locations.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            var location = stack.Locations[i];
            var line = Assert.Single(location.Lines);
            var expectedName = frames[i].GetProperty("name").GetString()!;
            Assert.Equal(expectedName, line.Function!.Name);
            Assert.Equal(frames[i].GetProperty("file").GetString(), line.Function.Filename);
            Assert.Equal(frames[i].GetProperty("first").GetInt64(), line.Function.StartLine);
            Assert.Equal(frames[i].GetProperty("line").GetInt64(), line.LineNumber);
            Assert.Equal(frames[i].GetProperty("code").GetUInt64(), location.Address);
            Assert.Contains(location.Attributes, a => a.Key == SemanticConventions.FrameType && a.Value?.StringValue == SemanticConventions.FrameTypeCpython);
            Assert.DoesNotContain(location.Attributes, a => a.Key == SemanticConventions.CpythonInstructionOffset);
        }
        Assert.Equal(interpreter.Minor == 10 ? "hot" : "Work.hot", Name(stack.Locations[2]));
        Assert.Equal(3, processor.Telemetry.ResolvedCounts[(int)SymbolSource.Cpython]);
    }

    [Fact]
    public async Task A_stale_address_or_a_process_without_python_stays_unnamed_and_is_counted()
    {
        var interpreter = PythonInterpreters.Require("pyenv-3.12");
        using var python = PythonProcess.Start(interpreter, ChainScript);
        var frame = JsonDocument.Parse(python.Report).RootElement[0];
        var processor = Processor();
        var notCode = CpythonFrame(frame) is var real ? new Location(null, real.Address + 8, attributes: real.Attributes) : null!;

        await processor.ConsumeAsync(Of(
            Process(python.Pid, Stack(notCode, CpythonFrame(frame))),
            Process(Environment.ProcessId, Stack(CpythonFrame(frame)))), default);

        var samples = Samples(_next.Batches[0]).ToArray();
        Assert.Null(Name(samples[0].Stack.Locations[0]));
        Assert.Contains(samples[0].Stack.Locations[0].Attributes, a => a.Value?.StringValue == SemanticConventions.FrameTypeCpython);
        Assert.Equal(frame.GetProperty("name").GetString(), Name(samples[0].Stack.Locations[1]));
        Assert.Null(Name(samples[1].Stack.Locations[0])); // this test process has no CPython: the same address names nothing
        Assert.Equal(1, processor.Telemetry.UnresolvedCounts[(int)UnresolvedReason.CpythonCodeUnreadable]);
        Assert.Equal(1, processor.Telemetry.UnresolvedCounts[(int)UnresolvedReason.CpythonUnavailable]);
        Assert.Equal(1, processor.Telemetry.FailureCounts["cpython_not_code"]);
        Assert.Equal(1, processor.Telemetry.FailureCounts["cpython_not_python"]);
    }

    [Fact]
    public async Task Switched_off_python_frames_stay_unnamed()
    {
        var interpreter = PythonInterpreters.Require("pyenv-3.12");
        using var python = PythonProcess.Start(interpreter, ChainScript);
        var frame = JsonDocument.Parse(python.Report).RootElement[0];
        var processor = Processor(new SymbolizationOptions { Python = new PythonOptions { Enabled = false } });

        await processor.ConsumeAsync(Of(Process(python.Pid, Stack(CpythonFrame(frame)))), default);

        Assert.Null(Name(Assert.Single(Samples(_next.Batches[0])).Stack.Locations[0]));
        Assert.Equal(1, processor.Telemetry.UnresolvedCounts[(int)UnresolvedReason.NoSource]);
    }

    [Fact]
    public async Task An_exited_process_is_forgotten_once_a_batch_after_the_one_whose_watermark_passes_its_exit_arrives()
    {
        var interpreter = PythonInterpreters.Require("pyenv-3.12");
        using var python = PythonProcess.Start(interpreter, ChainScript);
        var frame = JsonDocument.Parse(python.Report).RootElement[0];
        var processor = Processor();
        var cache = processor.Symbolizer.Python!.Cache;

        await processor.ConsumeAsync(Of(Process(python.Pid, Stack(CpythonFrame(frame)))), default);
        Assert.Equal(1, cache.Count);

        var exit = new ProfileBatch { ProcessEvents = [new ProcessEvent(ProcessEventKind.Exit, python.Pid, 1, 1_000, "python")], WatermarkKtimeNanos = 900 };
        await processor.ConsumeAsync(exit, default);
        Assert.Equal(1, cache.Count); // samples from before the exit may still come

        // The batch that brings a watermark past the exit may still carry samples from before it: they are named.
        var last = Of(Process(python.Pid, Stack(CpythonFrame(frame))));
        last.WatermarkKtimeNanos = 1_001;
        python.Dispose(); // gone: only what was read while it lived can name the frame
        await processor.ConsumeAsync(last, default);
        Assert.Equal(frame.GetProperty("name").GetString(), Assert.Single(Samples(_next.Batches[^1])).Stack.Locations[0].Lines.Single().Function!.Name);
        Assert.Equal(1, cache.Count);

        await processor.ConsumeAsync(new ProfileBatch { WatermarkKtimeNanos = 1_002 }, default);
        Assert.Equal(0, cache.Count);
    }

    public void Dispose()
    {
        foreach (var processor in _processors) processor.ShutdownAsync(default).GetAwaiter().GetResult();
        _sandbox.Dispose();
    }

    private static Location CpythonFrame(JsonElement frame) => new(null, frame.GetProperty("code").GetUInt64(), attributes:
    [
        KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeCpython),
        KeyValueAndUnit.Of(SemanticConventions.CpythonInstructionOffset, frame.GetProperty("offset").GetInt64()),
    ]);

    private SymbolizationProcessor Processor(SymbolizationOptions? options = null)
    {
        // Code objects are read from the real process: /proc is the machine's, the other sources the sandbox's.
        var processor = new SymbolizationProcessor(_sandbox.Settings, options ?? new SymbolizationOptions(), _next, _sandbox.Environment with { ProcRoot = "/proc" });
        _processors.Add(processor);
        return processor;
    }
}
