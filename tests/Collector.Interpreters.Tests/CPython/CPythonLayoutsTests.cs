using System.Globalization;
using Collector.Interpreters.CPython;
using Collector.Interpreters.Tests.CPython.Support;

namespace Collector.Interpreters.Tests.CPython;

/// <summary>
/// The hard-coded layouts against the headers of every interpreter installed here: LayoutProbe.c prints offsetof() of
/// each field, compiled with the interpreter's own include directory, and every value must equal the table's.
/// </summary>
public sealed class CPythonLayoutsTests
{
    [Theory]
    [MemberData(nameof(PythonInterpreters.All), MemberType = typeof(PythonInterpreters))]
    public void Every_offset_equals_offsetof_in_the_interpreters_own_headers(string name)
    {
        var interpreter = PythonInterpreters.Require(name);
        ExternalTools.Require("gcc", "gcc");
        var probe = CompileAndRun(interpreter);
        var layout = CPythonLayouts.ForVersion(new CPythonVersion(3, interpreter.Minor));
        Assert.NotNull(layout);

        var expected = new Dictionary<string, int>
        {
            ["runtime.interpreters_head"] = layout.Runtime.InterpretersHead,
            ["interp.threads_head"] = layout.Interpreter.ThreadsHead,
            ["tstate.next"] = layout.Thread.Next,
            ["tstate.thread_id"] = layout.Thread.PthreadId,
            ["frame.previous"] = layout.Frame.Previous,
            ["code.name"] = layout.Code.Name,
            ["code.filename"] = layout.Code.FileName,
            ["code.firstlineno"] = layout.Code.FirstLine,
            ["code.linetable"] = layout.Code.LineTable,
            ["object.type"] = layout.Objects.Type,
            ["bytes.size"] = layout.Objects.BytesSize,
            ["bytes.data"] = layout.Objects.BytesData,
            ["str.length"] = layout.Objects.StringLength,
            ["str.state"] = layout.Objects.StringState,
            ["str.ascii_data"] = layout.Objects.AsciiData,
            ["str.compact_data"] = layout.Objects.CompactData,
            ["str.kind_shift"] = layout.Objects.StringKindShift,
            ["str.compact_bit"] = layout.Objects.StringCompactBit,
            ["str.ascii_bit"] = layout.Objects.StringAsciiBit,
        };
        if (layout.Runtime.GilHolderThread != CPythonLayout.Absent) expected["runtime.gilstate_tstate_current"] = layout.Runtime.GilHolderThread;
        if (layout.Thread.NativeThreadId != CPythonLayout.Absent) expected["tstate.native_thread_id"] = layout.Thread.NativeThreadId;
        if (interpreter.Minor == 10)
        {
            expected["tstate.frame"] = layout.Thread.CurrentFrame;
            expected["frame.back"] = layout.Frame.Previous;
            expected["frame.code"] = layout.Frame.Code;
            expected["frame.lasti"] = layout.Frame.Instruction;
            expected.Remove("frame.previous");
        }
        else
        {
            expected["code.code_adaptive"] = layout.Code.Bytecode;
            expected["code.qualname"] = layout.Code.QualifiedName;
            expected["frame.owner"] = layout.Frame.Owner;
        }
        if (interpreter.Minor is 11 or 12)
        {
            expected["tstate.cframe"] = layout.Thread.CFrame;
            expected["cframe.current_frame"] = layout.Thread.CFrameCurrentFrame;
            expected["frame.code"] = layout.Frame.Code;
            expected["frame.prev_instr"] = layout.Frame.Instruction;
        }
        if (interpreter.Minor == 11) expected["frame.is_entry"] = layout.Frame.IsEntry;
        if (interpreter.Minor >= 12) expected["owner.cstack"] = layout.Frame.OwnedByCStack;
        if (interpreter.Minor == 13)
        {
            expected["tstate.current_frame"] = layout.Thread.CurrentFrame;
            expected["frame.executable"] = layout.Frame.Code;
            expected["frame.instr_ptr"] = layout.Frame.Instruction;
        }

        Assert.Equal(expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), probe.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Versions_without_a_layout_get_none()
    {
        Assert.Null(CPythonLayouts.ForVersion(new CPythonVersion(3, 9)));
        Assert.Null(CPythonLayouts.ForVersion(new CPythonVersion(3, 14)));
        Assert.Null(CPythonLayouts.ForVersion(new CPythonVersion(2, 7)));
    }

    private static Dictionary<string, int> CompileAndRun(PythonInterpreter interpreter)
    {
        using var directory = new TempDirectory();
        var binary = directory.File("probe");
        var source = Path.Combine(AppContext.BaseDirectory, "CPython", "Support", "LayoutProbe.c");
        var compile = ExternalTools.Run("gcc", ["-w", "-I", interpreter.IncludeDirectory, "-o", binary, source], stdin: null);
        Assert.True(compile.ExitCode == 0, compile.Error);
        var run = ExternalTools.Run(binary, [], stdin: null);
        Assert.Equal(0, run.ExitCode);
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('='))
            .ToDictionary(parts => parts[0], parts => int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
