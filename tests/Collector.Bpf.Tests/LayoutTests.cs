using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Collector.Bpf.Native;
using Collector.Bpf.Records;
using Collector.Bpf.Tests.Support;
using Collector.Unwinding.Table;

namespace Collector.Bpf.Tests;

/// <summary>
/// The C# mirrors of profiler.h (and of the part of perf_event_attr we use) must agree with the C compiler:
/// every field's offset, every struct's size, every shared constant. Checked twice: by a host program that
/// prints what gcc-compatible clang sees, and by static assertions compiled for the BPF target itself.
/// </summary>
public sealed class LayoutTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>C struct, its mirror, and each C field with the mirror field it corresponds to.</summary>
    private static readonly (string CStruct, Type Mirror, (string C, string CSharp)[] Fields)[] Structs =
    [
        ("profiler_sample", typeof(SampleRecord),
        [
            ("kind", "Kind"), ("pid", "Pid"), ("tid", "Tid"), ("cpu", "Cpu"), ("ktime_ns", "KtimeNanos"),
            ("start_boottime_ns", "StartBoottimeNanos"), ("comm", "Comm"), ("kernel_frames", "KernelFrames"),
            ("user_frames", "UserFrames"), ("user_origins", "UserOrigins"), ("user_stop", "UserStop"), ("reserved", "Reserved"),
            ("python_frames", "PythonFrames"), ("reserved2", "Reserved2"), ("data", "Data"),
        ]),
        ("profiler_python_frame", typeof(PythonFrameRecord),
        [
            ("code", "Code"), ("instruction_offset", "InstructionOffset"), ("flags", "Flags"),
        ]),
        ("profiler_python_process", typeof(PythonProcessRecord),
        [
            ("start_boottime_ns", "StartBoottimeNanos"), ("runtime", "Runtime"), ("code_type", "CodeType"),
            ("runtime_interpreters_head", "RuntimeInterpretersHead"), ("interpreter_threads_head", "InterpreterThreadsHead"),
            ("thread_next", "ThreadNext"), ("thread_id", "ThreadId"), ("thread_frame", "ThreadFrame"),
            ("cframe_current_frame", "CFrameCurrentFrame"), ("frame_previous", "FramePrevious"), ("frame_code", "FrameCode"),
            ("frame_instruction", "FrameInstruction"), ("frame_owner", "FrameOwner"), ("frame_is_entry", "FrameIsEntry"),
            ("code_bytecode", "CodeBytecode"), ("frames_kind", "FramesKind"), ("thread_match", "ThreadMatch"),
            ("owner_cstack", "OwnerCStack"), ("reserved", "Reserved"), ("reserved2", "Reserved2"),
        ]),
        ("profiler_unwind_row", typeof(UnwindRowRecord),
        [
            ("pc_start", "PcStart"), ("cfa_offset", "CfaOffset"), ("rbp_offset", "RbpOffset"), ("cfa_kind", "CfaKind"), ("rules", "Rules"),
        ]),
        ("profiler_mapping", typeof(MappingRecord),
        [
            ("start", "Start"), ("end", "End"), ("bias", "Bias"), ("table_id", "TableId"), ("rows", "Rows"),
            ("index_base", "IndexBase"), ("index_buckets", "IndexBuckets"), ("index_shift", "IndexShift"), ("reserved", "Reserved"),
        ]),
        ("profiler_process_mappings", typeof(ProcessMappingsRecord),
        [
            ("start_boottime_ns", "StartBoottimeNanos"), ("count", "Count"), ("flags", "Flags"), ("mappings", "Mappings"),
        ]),
        ("profiler_frame_origin", typeof(FrameOriginRecord),
        [
            ("status", "Status"), ("build_id", "BuildId"), ("offset", "Offset"),
        ]),
        ("profiler_process_event", typeof(ProcessEventRecord),
        [
            ("kind", "Kind"), ("pid", "Pid"), ("ppid", "ParentPid"), ("reserved", "Reserved"), ("ktime_ns", "KtimeNanos"),
            ("start_boottime_ns", "StartBoottimeNanos"), ("comm", "Comm"), ("filename", "Filename"),
        ]),
        ("profiler_config", typeof(ProfilerConfig),
        [
            ("self_pid", "SelfPid"), ("filter_pids", "FilterPids"), ("kernel_stacks", "KernelStacks"), ("user_build_ids", "UserBuildIds"),
            ("wake_on_exec", "WakeOnExec"),
        ]),
    ];

    private static readonly (string C, long CSharp)[] Constants =
    [
        ("PROFILER_MAX_FRAMES", AbiConstants.MaxFrames),
        ("PROFILER_COMM_LEN", AbiConstants.CommLength),
        ("PROFILER_FILENAME_LEN", AbiConstants.FilenameLength),
        ("PROFILER_MAX_TARGET_PIDS", AbiConstants.MaxTargetPids),
        ("PROFILER_BUILD_ID_LEN", AbiConstants.BuildIdLength),
        ("PROFILER_ORIGIN_EMPTY", (long)OriginStatus.Empty),
        ("PROFILER_ORIGIN_VALID", (long)OriginStatus.Valid),
        ("PROFILER_ORIGIN_IP", (long)OriginStatus.Ip),
        ("PROFILER_RECORD_SAMPLE", (long)RecordKind.Sample),
        ("PROFILER_RECORD_EXEC", (long)RecordKind.Exec),
        ("PROFILER_RECORD_FORK", (long)RecordKind.Fork),
        ("PROFILER_RECORD_EXIT", (long)RecordKind.Exit),
        ("PROFILER_COUNTER_SAMPLES_LOST", (long)CounterSlot.SamplesLost),
        ("PROFILER_COUNTER_EVENTS_LOST", (long)CounterSlot.EventsLost),
        ("PROFILER_COUNTER_PYTHON_WALKS", (long)CounterSlot.PythonWalks),
        ("PROFILER_COUNTER_PYTHON_NO_THREAD_STATE", (long)CounterSlot.PythonNoThreadState),
        ("PROFILER_COUNTER_PYTHON_NO_THREAD_MATCH", (long)CounterSlot.PythonNoThreadMatch),
        ("PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE", (long)CounterSlot.PythonFrameUnreadable),
        ("PROFILER_COUNTER_PYTHON_BAD_CODE", (long)CounterSlot.PythonBadCode),
        ("PROFILER_COUNTER_PYTHON_CHAIN_TOO_LONG", (long)CounterSlot.PythonChainTooLong),
        ("PROFILER_COUNTER_PYTHON_TOO_MANY_THREADS", (long)CounterSlot.PythonTooManyThreads),
        ("PROFILER_COUNTER_COUNT", (long)CounterSlot.Count),
        ("PROFILER_MAX_PYTHON_FRAMES", AbiConstants.MaxPythonFrames),
        ("PROFILER_PYTHON_WALK_STEPS", AbiConstants.PythonWalkSteps),
        ("PROFILER_PYTHON_MAX_THREADS", AbiConstants.PythonMaxThreads),
        ("PROFILER_PYTHON_FRAME_ENTRY", PythonFrameRecord.EntryFlag),
        ("PROFILER_PYTHON_NO_FIELD", PythonProcessRecord.NoField),
        ("PROFILER_PYTHON_NO_OWNER", PythonProcessRecord.NoOwner),
        ("PROFILER_PYTHON_FRAME_OBJECTS", (long)PythonFramesKind.FrameObjects),
        ("PROFILER_PYTHON_INTERPRETER_FRAMES", (long)PythonFramesKind.InterpreterFrames),
        ("PROFILER_PYTHON_MATCH_PTHREAD", (long)PythonThreadMatch.Pthread),
        ("PROFILER_PYTHON_MATCH_TID", (long)PythonThreadMatch.Tid),
        ("PROFILER_SAMPLE_DATA_SLOTS", SampleRecord.DataSlots),
        ("PROFILER_MAX_TABLES", AbiConstants.MaxTables),
        ("PROFILER_MAX_MAPPINGS", AbiConstants.MaxMappings),
        ("PROFILER_PROCESS_PYTHON", AbiConstants.ProcessPython),
        ("PROFILER_MAX_PROCESSES", AbiConstants.MaxProcesses),
        // The unwinder reads rows in the layout Collector.Unwinding writes them.
        ("sizeof(struct profiler_unwind_row)", UnwindRowLayout.Size),
        ("offsetof(struct profiler_unwind_row, cfa_offset)", UnwindRowLayout.CfaOffsetOffset),
        ("offsetof(struct profiler_unwind_row, rbp_offset)", UnwindRowLayout.RbpOffsetOffset),
        ("offsetof(struct profiler_unwind_row, cfa_kind)", UnwindRowLayout.CfaKindOffset),
        ("offsetof(struct profiler_unwind_row, rules)", UnwindRowLayout.RulesOffset),
        // ... and the buckets of a table's index after them, one row-sized slot each.
        ("sizeof(struct profiler_unwind_bucket)", UnwindRowLayout.Size),
        ("offsetof(struct profiler_unwind_bucket, first)", UnwindRowLayout.BucketFirstOffset),
        ("offsetof(struct profiler_unwind_bucket, end)", UnwindRowLayout.BucketEndOffset),
        ("offsetof(struct profiler_unwind_bucket, reserved)", UnwindRowLayout.BucketReservedOffset),
        ("PROFILER_SIGNAL_RBP", UnwindRowLayout.SignalRbp),
        ("PROFILER_SIGNAL_RSP", UnwindRowLayout.SignalRsp),
        ("PROFILER_SIGNAL_RIP", UnwindRowLayout.SignalRip),
        ("PROFILER_CFA_UNSUPPORTED", (long)CfaKind.Unsupported),
        ("PROFILER_CFA_RSP", (long)CfaKind.RspOffset),
        ("PROFILER_CFA_RBP", (long)CfaKind.RbpOffset),
        ("PROFILER_CFA_PLT", (long)CfaKind.PltExpression),
        ("PROFILER_CFA_SIGNAL", (long)CfaKind.SignalFrame),
        ("PROFILER_CFA_FRAME_POINTER", (long)CfaKind.FramePointer),
        ("PROFILER_RBP_UNCHANGED", (long)RbpRule.Unchanged),
        ("PROFILER_RBP_AT_CFA", (long)RbpRule.AtCfaOffset),
        ("PROFILER_RBP_UNSUPPORTED", (long)RbpRule.Unsupported),
        ("PROFILER_RA_AT_CFA_MINUS_8", (long)ReturnAddressRule.AtCfaMinus8),
        ("PROFILER_RA_UNDEFINED", (long)ReturnAddressRule.Undefined),
        ("PROFILER_RA_UNSUPPORTED", (long)ReturnAddressRule.Unsupported),
        ("PROFILER_STOP_NONE", (long)UserStackStop.None),
        ("PROFILER_STOP_COMPLETE", (long)UserStackStop.Complete),
        ("PROFILER_STOP_NO_TABLE", (long)UserStackStop.NoTable),
        ("PROFILER_STOP_NO_MAPPING", (long)UserStackStop.NoMapping),
        ("PROFILER_STOP_READ_FAULT", (long)UserStackStop.ReadFault),
        ("PROFILER_STOP_DEPTH", (long)UserStackStop.DepthLimit),
        ("PROFILER_STOP_UNSUPPORTED", (long)UserStackStop.Unsupported),
        ("PROFILER_STOP_NO_PROCESS", (long)UserStackStop.NoProcess),
    ];

    /// <summary>perf_event_attr fields up to PERF_ATTR_SIZE_VER0 except the flag bitfield, checked separately.</summary>
    private static readonly (string C, string CSharp)[] PerfAttrFields =
    [
        ("type", "Type"), ("size", "Size"), ("config", "Config"), ("sample_freq", "SampleFrequency"),
        ("sample_type", "SampleType"), ("read_format", "ReadFormat"), ("wakeup_events", "WakeupEvents"),
        ("bp_type", "BreakpointType"), ("config1", "Config1"),
    ];

    private readonly string _work = Directory.CreateTempSubdirectory("bpf-layout-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Every_mirror_field_is_checked()
    {
        foreach (var (cStruct, mirror, fields) in Structs)
        {
            var declared = mirror.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name).Order(StringComparer.Ordinal);
            Assert.Equal(declared, fields.Select(f => f.CSharp).Order(StringComparer.Ordinal));
            output.WriteLine($"{cStruct}: {fields.Length} fields mapped");
        }
    }

    [Fact]
    public void An_origin_fills_whole_data_slots()
    {
        // The sample's data[] is counted in 8-byte slots; origins follow the addresses inside it.
        Assert.Equal(FrameOriginRecord.Slots * sizeof(ulong), Marshal.SizeOf<FrameOriginRecord>());
    }

    [Fact]
    public void Host_compiler_agrees_with_the_mirrors()
    {
        Prerequisites.Tools("clang-14");
        var source = Path.Combine(_work, "layout.c");
        File.WriteAllText(source, PrintingProgram());
        var binary = Path.Combine(_work, "layout");
        Command.Run("clang-14", "-O0", "-Wall", "-Werror", "-I", Repository.Bpf, "-o", binary, source);
        var seen = Command.Run(binary)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));

        var expected = ExpectedFromMirrors();
        foreach (var (name, value) in expected)
        {
            output.WriteLine($"{name}: C {seen.GetValueOrDefault(name, -1)}, C# {value}");
        }
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), seen.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Bpf_target_compiler_agrees_with_the_mirrors()
    {
        Prerequisites.Tools("clang-14");
        var source = Path.Combine(_work, "layout_bpf.c");
        var text = new StringBuilder("#include <stddef.h>\n#include \"profiler.h\"\n");
        foreach (var (cStruct, mirror, fields) in Structs)
        {
            text.Append(CultureInfo.InvariantCulture, $"_Static_assert(sizeof(struct {cStruct}) == {Marshal.SizeOf(mirror)}, \"size of {cStruct}\");\n");
            foreach (var (c, cSharp) in fields)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"_Static_assert(offsetof(struct {cStruct}, {c}) == {Marshal.OffsetOf(mirror, cSharp)}, \"offset of {cStruct}.{c}\");\n");
            }
        }
        File.WriteAllText(source, text.ToString());
        // A failed assertion is a compile error that names the field.
        Command.Run("clang-14", "-target", "bpf", "-fsyntax-only", "-I", "/usr/include/x86_64-linux-gnu", "-I", Repository.Bpf, source);
    }

    private static Dictionary<string, long> ExpectedFromMirrors()
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (cStruct, mirror, fields) in Structs)
        {
            expected[$"sizeof.{cStruct}"] = Marshal.SizeOf(mirror);
            foreach (var (c, cSharp) in fields)
            {
                expected[$"{cStruct}.{c}"] = Marshal.OffsetOf(mirror, cSharp);
            }
        }
        foreach (var (c, value) in Constants)
        {
            expected[c.Replace(' ', '_')] = value;
        }
        foreach (var (c, cSharp) in PerfAttrFields)
        {
            expected[$"perf_event_attr.{c}"] = Marshal.OffsetOf<PerfEventAttr>(cSharp);
        }
        expected["perf_event_attr.flags"] = Marshal.OffsetOf<PerfEventAttr>(nameof(PerfEventAttr.Flags));
        expected["perf_event_attr.flag_bits"] = (long)(PerfEvents.FlagDisabled | PerfEvents.FlagExcludeIdle | PerfEvents.FlagFrequency);
        expected["PERF_ATTR_SIZE_VER0"] = PerfEventAttr.SizeVer0;
        expected["sizeof.PerfEventAttr"] = Marshal.SizeOf<PerfEventAttr>();
        expected["PERF_TYPE_SOFTWARE"] = PerfEvents.TypeSoftware;
        expected["PERF_COUNT_SW_CPU_CLOCK"] = (long)PerfEvents.ConfigCpuClock;
        expected["PERF_FLAG_FD_CLOEXEC"] = (long)PerfEvents.OpenCloseOnExec;
        return expected;
    }

    /// <summary>A C program printing "name value" for every size, offset and constant the mirrors claim.</summary>
    private static string PrintingProgram()
    {
        var text = new StringBuilder("""
            #include <stdio.h>
            #include <stddef.h>
            #include <string.h>
            #include <linux/perf_event.h>
            #include "profiler.h"

            int main(void)
            {
                struct perf_event_attr attr;

            """);
        foreach (var (cStruct, _, fields) in Structs)
        {
            text.Append(CultureInfo.InvariantCulture, $"    printf(\"sizeof.{cStruct} %zu\\n\", sizeof(struct {cStruct}));\n");
            foreach (var (c, _) in fields)
            {
                text.Append(CultureInfo.InvariantCulture, $"    printf(\"{cStruct}.{c} %zu\\n\", offsetof(struct {cStruct}, {c}));\n");
            }
        }
        foreach (var (c, _) in Constants)
        {
            // Expressions hold spaces; the printed name must not (the output is split on them).
            text.Append(CultureInfo.InvariantCulture, $"    printf(\"{c.Replace(' ', '_')} %lld\\n\", (long long)({c}));\n");
        }
        foreach (var (c, _) in PerfAttrFields)
        {
            text.Append(CultureInfo.InvariantCulture, $"    printf(\"perf_event_attr.{c} %zu\\n\", offsetof(struct perf_event_attr, {c}));\n");
        }
        text.Append("""
                /* The flag bitfield cannot be named by offsetof: it is the 64-bit word after read_format. */
                printf("perf_event_attr.flags %zu\n", offsetof(struct perf_event_attr, read_format) + sizeof(attr.read_format));
                memset(&attr, 0, sizeof(attr));
                attr.disabled = 1;
                attr.exclude_idle = 1;
                attr.freq = 1;
                unsigned long long bits;
                memcpy(&bits, (char *)&attr + offsetof(struct perf_event_attr, read_format) + sizeof(attr.read_format), sizeof(bits));
                printf("perf_event_attr.flag_bits %llu\n", bits);
                printf("PERF_ATTR_SIZE_VER0 %d\n", PERF_ATTR_SIZE_VER0);
                printf("sizeof.PerfEventAttr %d\n", PERF_ATTR_SIZE_VER0);
                printf("PERF_TYPE_SOFTWARE %d\n", PERF_TYPE_SOFTWARE);
                printf("PERF_COUNT_SW_CPU_CLOCK %d\n", PERF_COUNT_SW_CPU_CLOCK);
                printf("PERF_FLAG_FD_CLOEXEC %lu\n", PERF_FLAG_FD_CLOEXEC);
                return 0;
            }

            """);
        return text.ToString();
    }
}
