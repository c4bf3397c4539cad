using System.Buffers.Binary;

namespace Collector.Interpreters.CPython;

/// <summary>
/// Reads a 3.13 process's <c>_Py_DebugOffsets</c>: the structure CPython places first in <c>_PyRuntime</c> so that
/// out-of-process tools need no hard-coded offsets. It starts with the cookie <c>xdebugpy</c> and the version
/// (<c>PY_VERSION_HEX</c>), then groups of uint64 fields, each group starting with the size of the structure it describes.
/// The positions of the fields inside <c>_Py_DebugOffsets</c> are those of 3.13's <c>Include/internal/pycore_runtime.h</c>;
/// later versions reorder the structure, so they are unsupported until their positions are added here.
/// </summary>
public static class DebugOffsets
{
    /// <summary>How many bytes from the start of <c>_PyRuntime</c> the 3.13 structure occupies.</summary>
    public const int Size313 = 584;

    // Largest structure size believed: PyInterpreterState is the big one (a few hundred KB at most).
    private const ulong MaxStructureSize = 1 << 20;

    private static ReadOnlySpan<byte> Cookie => "xdebugpy"u8;

    // Positions of the fields inside _Py_DebugOffsets (3.13).
    private const int Version = 8;
    private const int FreeThreaded = 16;
    private const int RuntimeSize = 24, RuntimeInterpretersHead = 40;
    private const int InterpreterSize = 48, InterpreterThreadsHead = 72;
    private const int ThreadSize = 152, ThreadNext = 168, ThreadCurrentFrame = 184, ThreadId = 192, ThreadNativeId = 200;
    private const int FrameSize = 224, FramePrevious = 232, FrameExecutable = 240, FrameInstrPtr = 248, FrameOwner = 264;
    private const int CodeSize = 272, CodeFileName = 280, CodeName = 288, CodeQualName = 296, CodeLineTable = 304, CodeFirstLine = 312, CodeAdaptive = 344;
    private const int ObjectSize = 352, ObjectType = 360;
    private const int BytesSize = 512, BytesObSize = 520, BytesObSval = 528;
    private const int UnicodeSize = 536, UnicodeState = 544, UnicodeLength = 552, UnicodeAsciiSize = 560;

    /// <summary>Whether <paramref name="runtimeStart"/> (the first bytes of <c>_PyRuntime</c>) begins with the debug cookie.</summary>
    public static bool HasCookie(ReadOnlySpan<byte> runtimeStart) => runtimeStart.Length >= Cookie.Length && runtimeStart[..Cookie.Length].SequenceEqual(Cookie);

    /// <summary>
    /// Builds the layout from the first <see cref="Size313"/> bytes of <c>_PyRuntime</c>. Fails with
    /// <see cref="CPythonDetectionFailure.UnsupportedVersion"/> for a version other than 3.13 or a free-threaded build, and
    /// <see cref="CPythonDetectionFailure.LayoutCheckFailed"/> when the cookie is missing or an offset lies outside its structure.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> runtimeStart, out CPythonLayout? layout, out CPythonDetectionFailure failure)
    {
        layout = null;
        if (runtimeStart.Length < Size313 || !HasCookie(runtimeStart))
        {
            failure = CPythonDetectionFailure.LayoutCheckFailed;
            return false;
        }
        var version = CPythonVersion.FromHex((uint)U64(runtimeStart, Version));
        if (version is not { Major: 3, Minor: 13 } || U64(runtimeStart, FreeThreaded) != 0)
        {
            failure = CPythonDetectionFailure.UnsupportedVersion;
            return false;
        }

        var offsets = new CheckedOffsets(runtimeStart);
        var known = CPythonLayouts.Python313;
        var asciiSize = offsets.Field(UnicodeSize, UnicodeAsciiSize, 0);
        var candidate = known with
        {
            Version = version,
            Runtime = known.Runtime with { InterpretersHead = offsets.Field(RuntimeSize, RuntimeInterpretersHead) },
            Interpreter = new InterpreterOffsets(offsets.Field(InterpreterSize, InterpreterThreadsHead)),
            Thread = known.Thread with
            {
                Next = offsets.Field(ThreadSize, ThreadNext),
                PthreadId = offsets.Field(ThreadSize, ThreadId),
                NativeThreadId = offsets.Field(ThreadSize, ThreadNativeId),
                CurrentFrame = offsets.Field(ThreadSize, ThreadCurrentFrame),
            },
            Frame = known.Frame with
            {
                Code = offsets.Field(FrameSize, FrameExecutable),
                Previous = offsets.Field(FrameSize, FramePrevious),
                Instruction = offsets.Field(FrameSize, FrameInstrPtr),
                Owner = offsets.Field(FrameSize, FrameOwner, 1),
            },
            Code = known.Code with
            {
                Bytecode = offsets.Field(CodeSize, CodeAdaptive, 2),
                Name = offsets.Field(CodeSize, CodeName),
                QualifiedName = offsets.Field(CodeSize, CodeQualName),
                FileName = offsets.Field(CodeSize, CodeFileName),
                FirstLine = offsets.Field(CodeSize, CodeFirstLine, 4),
                LineTable = offsets.Field(CodeSize, CodeLineTable),
            },
            Objects = known.Objects with
            {
                Type = offsets.Field(ObjectSize, ObjectType),
                BytesSize = offsets.Field(BytesSize, BytesObSize),
                BytesData = offsets.Field(BytesSize, BytesObSval, 1),
                StringLength = offsets.Field(UnicodeSize, UnicodeLength),
                StringState = offsets.Field(UnicodeSize, UnicodeState, 4),
                AsciiData = asciiSize,
                // PyCompactUnicodeObject is PyASCIIObject followed by utf8_length and the utf8 pointer (not in the debug offsets).
                CompactData = asciiSize + 16,
            },
        };
        if (!offsets.AllInside)
        {
            failure = CPythonDetectionFailure.LayoutCheckFailed;
            return false;
        }
        layout = candidate;
        failure = default;
        return true;
    }

    /// <summary>Reads offsets and remembers whether every one lay inside its structure (with room for the bytes read there).</summary>
    private ref struct CheckedOffsets(ReadOnlySpan<byte> debugOffsets)
    {
        private readonly ReadOnlySpan<byte> _debugOffsets = debugOffsets;

        public bool AllInside { get; private set; } = true;

        public int Field(int sizeAt, int fieldAt, int width = 8)
        {
            var size = U64(_debugOffsets, sizeAt);
            var offset = U64(_debugOffsets, fieldAt);
            if (size == 0 || size > MaxStructureSize || offset + (ulong)width > size) AllInside = false;
            return AllInside ? (int)offset : CPythonLayout.Absent;
        }
    }

    private static ulong U64(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);
}
