using System.Buffers.Binary;
using System.Globalization;
using Collector.Core.Model;
using Collector.Interpreters.CPython;
using Collector.Processors.Caching;
using Collector.ProcMaps;

namespace Collector.Processors.Symbolization.Python;

/// <summary>
/// Names <c>cpython</c> frames: the location's address is a code object in the process, its
/// <c>cpython.instruction_offset</c> attribute the executing instruction's byte offset in the bytecode. The process's
/// CPython (layout, type addresses) is detected once and cached per pid with its code objects, under the shared cache
/// policy; a process that exits or execs is forgotten once the watermark passes that event, when no sample from
/// before it can still arrive. Code objects are immutable while alive; a cached one is re-checked with one read of its
/// header whenever a batch uses it, so an address reused by another code object is read afresh, never misnamed.
/// </summary>
internal sealed class CPythonResolver : IDisposable
{
    /// <summary>Most code objects remembered per process; past it the process's set starts again (a generator of code, e.g. eval in a loop).</summary>
    internal const int MaxCodeObjectsPerProcess = 65_536;

    private readonly SymbolizerEnvironment _environment;
    private readonly SymbolizerTelemetry _telemetry;
    private readonly IProcessMemory _memory;
    private readonly CodeObjectReader _reader;
    private readonly SlidingCache<int, PythonProcessState> _processes;
    private readonly List<(int Pid, ulong KtimeNanos)> _endedProcesses = [];
    private long _batch;
    private ulong? _watermark;

    public CPythonResolver(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry, IProcessMemory? memory = null)
    {
        _environment = environment;
        _telemetry = telemetry;
        _memory = memory ?? ProcessMemory.Instance;
        _reader = new CodeObjectReader(_memory);
        _processes = new SlidingCache<int, PythonProcessState>(policy);
        telemetry.ObserveCache("cpython", _processes);
    }

    /// <summary>The cache, for tests.</summary>
    internal SlidingCache<int, PythonProcessState> Cache => _processes;

    /// <summary>
    /// Called before each batch with its process events and watermark: exits and execs are noted, and processes whose
    /// exit or exec the previous batch's watermark passed are forgotten. A watermark promises that no later batch
    /// carries older samples; the batch that brings it may (a report holds up to a second of samples and the watermark
    /// is as recent as the batch), so applying it before naming that batch's samples lost the names of a process's
    /// last second.
    /// </summary>
    public void BeginBatch(ProfileBatch batch)
    {
        _batch++;
        var settled = _watermark;
        if (batch.WatermarkKtimeNanos is { } watermark) _watermark = watermark;
        foreach (var processEvent in batch.ProcessEvents)
        {
            if (processEvent.Kind is ProcessEventKind.Exit or ProcessEventKind.Exec) _endedProcesses.Add((processEvent.Pid, processEvent.KtimeNanos));
        }
        if (settled is not { } passed || _endedProcesses.Count == 0) return;
        _endedProcesses.RemoveAll(ended =>
        {
            if (ended.KtimeNanos >= passed) return false;
            _processes.Remove(ended.Pid);
            return true;
        });
    }

    /// <summary>The frame named, or null with the reason it cannot be (counted by the caller).</summary>
    public Location? Resolve(Location location, int? pid, out UnresolvedReason reason)
    {
        if (pid is not { } processId || InstructionOffset(location) is not { } offset)
        {
            reason = UnresolvedReason.NoSource;
            return null;
        }
        var state = Process(processId);
        if (state.Python is not { } python)
        {
            reason = UnresolvedReason.CpythonUnavailable;
            return null;
        }
        if (!TryCode(processId, python, state, location.Address, out var code))
        {
            reason = UnresolvedReason.CpythonCodeUnreadable;
            return null;
        }
        reason = default;
        var attributes = location.Attributes.RemoveAll(attribute => attribute.Key == SemanticConventions.CpythonInstructionOffset);
        return new Location(location.Mapping, location.Address, [code.LineAt(offset)], attributes);
    }

    public void Dispose() => _processes.Dispose();

    private PythonProcessState Process(int pid)
    {
        if (_processes.TryGet(pid, out var state)) return state;
        state = Detect(pid);
        _processes.Set(pid, state);
        return state;
    }

    private PythonProcessState Detect(int pid)
    {
        var mapsPath = Path.Combine(_environment.ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "maps");
        CPythonDetection detection;
        try
        {
            var maps = MapsParser.Parse(File.ReadAllText(mapsPath), out _);
            detection = new CPythonDetector(_memory, _environment.ProcRoot).Detect(pid, maps);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            detection = CPythonDetection.Failed(CPythonDetectionFailure.MemoryUnreadable);
        }
        if (!detection.Found) _telemetry.ReadFailed("cpython_" + Snake(detection.Failure.ToString()), mapsPath, $"no CPython layout for process {pid}");
        return new PythonProcessState(detection.Process);
    }

    private bool TryCode(int pid, CPythonProcess python, PythonProcessState state, ulong address, out KnownCode code)
    {
        if (state.Codes.TryGetValue(address, out var known) && (known.CheckedInBatch == _batch || StillThere(pid, python, address, known.Identity)))
        {
            known.CheckedInBatch = _batch;
            code = known;
            return true;
        }
        if (!_reader.TryRead(pid, python, address, out var read, out var failure) || !TryIdentity(pid, python, address, out var identity))
        {
            _telemetry.ReadFailed("cpython_" + Snake(failure.ToString()), $"pid {pid}", $"code object at 0x{address:x}");
            state.Codes.Remove(address);
            code = null!;
            return false;
        }
        if (state.Codes.Count >= MaxCodeObjectsPerProcess) state.Codes.Clear();
        code = new KnownCode(read!, identity) { CheckedInBatch = _batch };
        state.Codes[address] = code;
        return true;
    }

    /// <summary>
    /// Whether the code object at <paramref name="address"/> still has the type, name, file, line table and first line it
    /// had when read. An exited process cannot be read: what was read while it lived still names its samples.
    /// </summary>
    private bool StillThere(int pid, CPythonProcess python, ulong address, CodeIdentity known)
    {
        if (!TryIdentity(pid, python, address, out var now)) return !Directory.Exists(Path.Combine(_environment.ProcRoot, pid.ToString(CultureInfo.InvariantCulture)));
        return now == known;
    }

    /// <summary>The fields that tell one code object from another at the same address (not the reference count, not the counters CPython updates as it runs).</summary>
    private bool TryIdentity(int pid, CPythonProcess python, ulong address, out CodeIdentity identity)
    {
        var layout = python.Layout;
        var code = layout.Code;
        var nameAt = code.QualifiedName != CPythonLayout.Absent ? code.QualifiedName : code.Name;
        Span<byte> header = stackalloc byte[Math.Max(Math.Max(nameAt, code.FileName), code.LineTable) + 8];
        identity = default;
        if (!_memory.TryRead(pid, address, header)) return false;
        identity = new CodeIdentity(U64(header, layout.Objects.Type), U64(header, nameAt), U64(header, code.FileName), U64(header, code.LineTable),
            BinaryPrimitives.ReadInt32LittleEndian(header[code.FirstLine..]));
        return true;
    }

    private static ulong U64(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);

    private static long? InstructionOffset(Location location)
    {
        foreach (var attribute in location.Attributes)
        {
            if (attribute.Key == SemanticConventions.CpythonInstructionOffset && attribute.Value is { Kind: AnyValueKind.Int } value) return value.IntValue;
        }
        return null;
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    internal sealed class PythonProcessState(CPythonProcess? python)
    {
        /// <summary>The process's CPython; null when it has none we can read (the reason was counted at detection).</summary>
        public CPythonProcess? Python { get; } = python;

        public Dictionary<ulong, KnownCode> Codes { get; } = [];
    }

    internal readonly record struct CodeIdentity(ulong Type, ulong Name, ulong FileName, ulong LineTable, int FirstLine);

    internal sealed class KnownCode(PythonCode code, CodeIdentity identity)
    {
        // Built once per code object: every frame of it in every batch shares the function, and each instruction's line is decoded once.
        private readonly Function _function = new(code.QualifiedName, Filename: code.FileName, StartLine: code.FirstLine);
        private readonly Dictionary<long, Line> _lines = [];

        public PythonCode Code { get; } = code;

        /// <summary>The line of the instruction at <paramref name="byteOffset"/> (0 when the table has none), with the function.</summary>
        public Line LineAt(long byteOffset)
        {
            lock (_lines)
            {
                if (!_lines.TryGetValue(byteOffset, out var line))
                {
                    line = new Line(_function, Code.LineAt(byteOffset) ?? 0);
                    _lines.Add(byteOffset, line);
                }
                return line;
            }
        }

        /// <summary>What the code object held when it was read.</summary>
        public CodeIdentity Identity { get; } = identity;

        public long CheckedInBatch { get; set; }
    }
}
