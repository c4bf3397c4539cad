using System.Text.Json;
using Collector.Interpreters.CPython;
using Collector.Interpreters.Tests.CPython.Support;
using Collector.ProcMaps;

namespace Collector.Interpreters.Tests.CPython;

/// <summary>
/// Detection in live interpreters, checked against what each interpreter says about itself through ctypes (the
/// dynamic linker's addresses of _PyRuntime, _PyEval_EvalFrameDefault and PyCode_Type, and sys.hexversion).
/// </summary>
public sealed class CPythonDetectorTests
{
    private const string SelfReport = """
        import ctypes, json, sys
        api = ctypes.pythonapi
        def data(name): return ctypes.addressof(ctypes.c_char.in_dll(api, name))
        print(json.dumps({"runtime": data("_PyRuntime"), "codeType": data("PyCode_Type"),
            "evalFrame": ctypes.cast(api._PyEval_EvalFrameDefault, ctypes.c_void_p).value, "hexversion": sys.hexversion}), flush=True)
        sys.stdin.readline()
        """;

    [Theory]
    [MemberData(nameof(PythonInterpreters.All), MemberType = typeof(PythonInterpreters))]
    public void Finds_the_interpreter_its_version_and_its_symbols(string name)
    {
        var interpreter = PythonInterpreters.Require(name);
        using var python = PythonProcess.Start(interpreter, SelfReport);
        var report = JsonDocument.Parse(python.Report).RootElement;

        var detection = new CPythonDetector(ProcessMemory.Instance).Detect(python.Pid, Maps(python.Pid));

        Assert.True(detection.Found, $"not detected: {detection.Failure}");
        var found = detection.Process!;
        Assert.Equal(report.GetProperty("runtime").GetUInt64(), found.Runtime);
        Assert.Equal(report.GetProperty("codeType").GetUInt64(), found.CodeType);
        Assert.Equal(report.GetProperty("evalFrame").GetUInt64(), found.EvalFrameStart);
        Assert.True(found.EvalFrameEnd > found.EvalFrameStart);
        var version = CPythonVersion.FromHex(report.GetProperty("hexversion").GetUInt32());
        Assert.Equal(interpreter.Minor, found.Layout.Version.Minor);
        if (interpreter.Minor >= 11) Assert.Equal(version, found.Layout.Version);
        Assert.Contains(interpreter.Name.StartsWith("debian", StringComparison.Ordinal) ? "/usr/bin/python3." : "libpython3.", found.ElfPath, StringComparison.Ordinal);
    }

    [Fact]
    public void A_313_process_publishes_the_offsets_its_headers_give()
    {
        var interpreter = PythonInterpreters.Require("pyenv-3.13");
        using var python = PythonProcess.Start(interpreter, SelfReport);

        var detection = new CPythonDetector(ProcessMemory.Instance).Detect(python.Pid, Maps(python.Pid));

        Assert.True(detection.Found, $"not detected: {detection.Failure}");
        Assert.Equal(CPythonLayouts.Python313, detection.Process!.Layout with { Version = CPythonLayouts.Python313.Version });
    }

    [Fact]
    public void A_process_without_python_is_not_python()
    {
        var self = Environment.ProcessId;
        Assert.Equal(CPythonDetection.Failed(CPythonDetectionFailure.NotPython), new CPythonDetector(ProcessMemory.Instance).Detect(self, Maps(self)));
    }

    [Fact]
    public void Debug_offsets_of_a_later_version_are_refused()
    {
        var bytes = new byte[DebugOffsets.Size313];
        "xdebugpy"u8.CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 0x030E00F0UL); // 3.14 reorders the structure
        Assert.False(DebugOffsets.TryRead(bytes, out _, out var failure));
        Assert.Equal(CPythonDetectionFailure.UnsupportedVersion, failure);
    }

    [Fact]
    public void Debug_offsets_without_the_cookie_fail_the_layout_check()
    {
        Assert.False(DebugOffsets.TryRead(new byte[DebugOffsets.Size313], out _, out var failure));
        Assert.Equal(CPythonDetectionFailure.LayoutCheckFailed, failure);
    }

    private static List<MapsEntry> Maps(int pid) => MapsParser.Parse(File.ReadAllText($"/proc/{pid}/maps"), out _);
}
