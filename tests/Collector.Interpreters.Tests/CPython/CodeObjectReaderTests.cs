using System.Text.Json;
using Collector.Interpreters.CPython;
using Collector.Interpreters.Tests.CPython.Support;
using Collector.ProcMaps;

namespace Collector.Interpreters.Tests.CPython;

/// <summary>
/// Code objects read out of live interpreters, checked against what the interpreter says of the same objects:
/// id() for the address, co_qualname/co_name, co_filename, co_firstlineno, and co_lines() for the line of every
/// instruction offset.
/// </summary>
public sealed class CodeObjectReaderTests
{
    // Functions whose line tables use every entry form: short and one-line entries, long jumps (long form and
    // no-column form), lines far from the first, a non-ASCII name, nested and method qualified names.
    private const string Source = """
        import zlib

        def outer(n):
            def inner(x):
                return x * 2
            total = 0
            for i in range(n):
                total += inner(i)



            return total

        class Shape:
            def área(self, w, h):
                return (w *
                        h)

        def long_jumps(a):
            b = a + 1
            if b > 10:
                b = 0
        """ + "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n" + """
            c = b * 3
            return zlib.crc32(bytes(c))
        """;

    private const string ReportScript = """
        import json, sys
        namespace = {}
        exec(compile(SOURCE, "/tmp/interpreters-tests/sample_module.py", "exec"), namespace)
        codes, pending = [], [c for c in (namespace["outer"].__code__, namespace["Shape"].área.__code__, namespace["long_jumps"].__code__)]
        while pending:
            code = pending.pop()
            codes.append(code)
            pending.extend(c for c in code.co_consts if hasattr(c, "co_lines"))
        print(json.dumps([{"id": id(c), "name": getattr(c, "co_qualname", c.co_name), "file": c.co_filename,
            "first": c.co_firstlineno, "size": len(c.co_code), "lines": [list(r) for r in c.co_lines()]} for c in codes]), flush=True)
        sys.stdin.readline()
        """;

    [Theory]
    [MemberData(nameof(PythonInterpreters.All), MemberType = typeof(PythonInterpreters))]
    public void Names_and_lines_equal_the_interpreters_own(string name)
    {
        var interpreter = PythonInterpreters.Require(name);
        using var python = PythonProcess.Start(interpreter, $"SOURCE = {JsonSerializer.Serialize(Source)}\n{ReportScript}");
        var detection = new CPythonDetector(ProcessMemory.Instance).Detect(python.Pid, MapsParser.Parse(File.ReadAllText($"/proc/{python.Pid}/maps"), out _));
        Assert.True(detection.Found, $"not detected: {detection.Failure}");
        var reader = new CodeObjectReader(ProcessMemory.Instance);

        var checkedOffsets = 0;
        foreach (var expected in JsonDocument.Parse(python.Report).RootElement.EnumerateArray())
        {
            Assert.True(reader.TryRead(python.Pid, detection.Process!, expected.GetProperty("id").GetUInt64(), out var code, out var failure), $"{failure}");
            var expectedName = expected.GetProperty("name").GetString()!;
            Assert.Equal(interpreter.Minor == 10 ? expectedName[(expectedName.LastIndexOf('.') + 1)..] : expectedName, code!.QualifiedName);
            Assert.Equal("/tmp/interpreters-tests/sample_module.py", code.FileName);
            Assert.Equal(expected.GetProperty("first").GetInt32(), code.FirstLine);
            foreach (var range in expected.GetProperty("lines").EnumerateArray())
            {
                var (start, end, line) = (range[0].GetInt64(), range[1].GetInt64(), range[2]);
                for (var offset = start; offset < end; offset += 2)
                {
                    Assert.Equal(line.ValueKind == JsonValueKind.Null ? null : line.GetInt32(), code.LineAt(offset));
                    checkedOffsets++;
                }
            }
        }
        Assert.True(checkedOffsets > 30, $"only {checkedOffsets} offsets checked");
    }

    [Theory]
    [MemberData(nameof(PythonInterpreters.All), MemberType = typeof(PythonInterpreters))]
    public void Addresses_that_hold_no_code_object_give_a_reason_and_no_name(string name)
    {
        var interpreter = PythonInterpreters.Require(name);
        using var python = PythonProcess.Start(interpreter, """
            import sys
            def f(): pass
            print(id(f), id(f.__code__), flush=True)
            sys.stdin.readline()
            """);
        var detection = new CPythonDetector(ProcessMemory.Instance).Detect(python.Pid, MapsParser.Parse(File.ReadAllText($"/proc/{python.Pid}/maps"), out _));
        Assert.True(detection.Found, $"not detected: {detection.Failure}");
        var ids = python.Report.Split(' ').Select(ulong.Parse).ToArray();
        var reader = new CodeObjectReader(ProcessMemory.Instance);

        Assert.False(reader.TryRead(python.Pid, detection.Process!, ids[0], out var code, out var failure)); // a function, not its code
        Assert.Null(code);
        Assert.Equal(CodeObjectFailure.NotCode, failure);
        Assert.False(reader.TryRead(python.Pid, detection.Process!, 8, out _, out failure)); // unmapped
        Assert.Equal(CodeObjectFailure.MemoryUnreadable, failure);

        // A layout whose name offset is wrong (points at co_filename's neighbour fields): checked, never read as a name.
        var wrong = detection.Process! with { Layout = detection.Process!.Layout with { Code = detection.Process!.Layout.Code with { FileName = detection.Process!.Layout.Code.FirstLine } } };
        Assert.False(reader.TryRead(python.Pid, wrong, ids[1], out code, out failure));
        Assert.Null(code);
        Assert.True(failure is CodeObjectFailure.BadString or CodeObjectFailure.MemoryUnreadable, $"{failure}");
        Assert.True(reader.TryRead(python.Pid, detection.Process!, ids[1], out code, out _));
        Assert.Equal("f", code!.QualifiedName);
    }
}
