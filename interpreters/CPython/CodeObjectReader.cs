using System.Buffers.Binary;
using System.Text;

namespace Collector.Interpreters.CPython;

/// <summary>
/// Reads a code object out of a CPython process: qualified name, file, first line and line table. Every pointer is
/// checked for the type it should have (<c>PyCode_Type</c>, <c>PyUnicode_Type</c>, <c>PyBytes_Type</c> at the addresses
/// the detector found) and every length bounded before anything is read through it, so a wrong layout, a stale
/// address or a process in the middle of exiting gives a counted failure, never a wrong name.
/// </summary>
public sealed class CodeObjectReader(IProcessMemory memory)
{
    /// <summary>Longest name or file name believed, in code points (CPython sets no limit; real ones are far shorter).</summary>
    public const int MaxStringLength = 4096;

    /// <summary>Largest line table believed (one entry per few instructions: a function of 100k lines stays far below).</summary>
    public const int MaxLineTableBytes = 1 << 20;

    public bool TryRead(int pid, CPythonProcess python, ulong codeAddress, out PythonCode? code, out CodeObjectFailure failure)
    {
        code = null;
        var layout = python.Layout;
        var offsets = layout.Code;
        var headerSize = Math.Max(Math.Max(offsets.Name, offsets.QualifiedName), Math.Max(offsets.FileName, offsets.LineTable)) + 8;
        Span<byte> header = stackalloc byte[headerSize];
        if (!memory.TryRead(pid, codeAddress, header))
        {
            failure = CodeObjectFailure.MemoryUnreadable;
            return false;
        }
        if (U64(header, layout.Objects.Type) != python.CodeType)
        {
            failure = CodeObjectFailure.NotCode;
            return false;
        }
        var nameAt = offsets.QualifiedName != CPythonLayout.Absent ? offsets.QualifiedName : offsets.Name;
        if (!TryReadString(pid, python, U64(header, nameAt), out var name, out failure)
            || !TryReadString(pid, python, U64(header, offsets.FileName), out var file, out failure)
            || !TryReadBytes(pid, python, U64(header, offsets.LineTable), out var lineTable, out failure))
        {
            return false;
        }
        var firstLine = BinaryPrimitives.ReadInt32LittleEndian(header[offsets.FirstLine..]);
        code = new PythonCode(name, file, firstLine, lineTable, offsets.LineTableFormat);
        return true;
    }

    /// <summary>A compact str (all names and file names in code objects are): ASCII, Latin-1, UCS-2 or UCS-4 data after the header.</summary>
    private bool TryReadString(int pid, CPythonProcess python, ulong address, out string text, out CodeObjectFailure failure)
    {
        text = "";
        var objects = python.Layout.Objects;
        Span<byte> header = stackalloc byte[Math.Max(objects.StringState + 4, objects.StringLength + 8)];
        if (!memory.TryRead(pid, address, header))
        {
            failure = CodeObjectFailure.MemoryUnreadable;
            return false;
        }
        failure = CodeObjectFailure.BadString;
        if (U64(header, objects.Type) != python.StringType) return false;
        var length = BinaryPrimitives.ReadInt64LittleEndian(header[objects.StringLength..]);
        var state = BinaryPrimitives.ReadUInt32LittleEndian(header[objects.StringState..]);
        var kind = (int)(state >> objects.StringKindShift) & 7;
        var compact = ((state >> objects.StringCompactBit) & 1) != 0;
        var ascii = ((state >> objects.StringAsciiBit) & 1) != 0;
        if (!compact || length is <= 0 or > MaxStringLength || kind is not (1 or 2 or 4) || (ascii && kind != 1)) return false;

        var data = new byte[length * kind];
        if (!memory.TryRead(pid, address + (ulong)(ascii ? objects.AsciiData : objects.CompactData), data))
        {
            failure = CodeObjectFailure.MemoryUnreadable;
            return false;
        }
        if (ascii && data.AsSpan().ContainsAnyInRange((byte)0x80, (byte)0xff)) return false;
        text = kind switch
        {
            1 => Encoding.Latin1.GetString(data),
            2 => Encoding.Unicode.GetString(data),
            _ => Encoding.UTF32.GetString(data),
        };
        return true;
    }

    private bool TryReadBytes(int pid, CPythonProcess python, ulong address, out byte[] bytes, out CodeObjectFailure failure)
    {
        bytes = [];
        var objects = python.Layout.Objects;
        Span<byte> header = stackalloc byte[objects.BytesData];
        if (!memory.TryRead(pid, address, header))
        {
            failure = CodeObjectFailure.MemoryUnreadable;
            return false;
        }
        failure = CodeObjectFailure.BadLineTable;
        if (U64(header, objects.Type) != python.BytesType) return false;
        var size = BinaryPrimitives.ReadInt64LittleEndian(header[objects.BytesSize..]);
        if (size is < 0 or > MaxLineTableBytes) return false;
        bytes = new byte[size];
        if (!memory.TryRead(pid, address + (ulong)objects.BytesData, bytes))
        {
            failure = CodeObjectFailure.MemoryUnreadable;
            return false;
        }
        return true;
    }

    private static ulong U64(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);
}
