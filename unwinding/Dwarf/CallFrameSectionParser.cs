using System.Buffers.Binary;
using Collector.Unwinding.Table;

namespace Collector.Unwinding.Dwarf;

/// <summary>
/// Walks the entries of one .eh_frame or .debug_frame section, parses every CIE (with its initial row) and lists every
/// FDE with a non-empty range. A damaged entry is counted and skipped; a damaged length, after which no later entry
/// can be found, ends the section with the entries read so far.
/// </summary>
internal sealed class CallFrameSectionParser(
    CallFrameSection section,
    int sourceIndex,
    CallFrameInterpreter interpreter,
    List<CommonInformationEntry> cies,
    List<FrameDescriptionEntry> fdes,
    UnwindIssueCounts issues)
{
    // CIE offset in the section → index into cies, or -1 when that CIE is unusable.
    private readonly Dictionary<long, int> _cieIndexByOffset = [];

    public void Parse()
    {
        var data = section.Data.Span;
        var position = 0;
        while (position < data.Length)
        {
            if (!TryFrame(data, position, out var entry))
            {
                issues.Add(UnwindIssue.EntryTruncated);
                return;
            }
            if (entry.Length == 0) return; // the .eh_frame terminator (and the end of anything sensible in .debug_frame)
            position = entry.End;
            try
            {
                var reader = new SpanReader(data[..entry.End], entry.IdStart);
                var id = entry.Is64Bit ? reader.U64() : reader.U32();
                if (IsCieId(id, entry.Is64Bit))
                {
                    CieAt(entry.Start);
                    continue;
                }
                // .eh_frame: the distance back from the id field; .debug_frame: an offset from the section start.
                var cieOffset = section.Kind == CallFrameSectionKind.EhFrame ? entry.IdStart - (long)id : (long)id;
                var cieIndex = CieAt(cieOffset);
                if (cieIndex < 0) throw new CallFrameFormatException(UnwindIssue.CiePointerInvalid);
                ReadFde(ref reader, cieIndex);
            }
            catch (CallFrameFormatException e)
            {
                issues.Add(e.Issue);
            }
        }
    }

    private bool IsCieId(ulong id, bool is64Bit) => section.Kind == CallFrameSectionKind.EhFrame
        ? id == 0
        : id == (is64Bit ? ulong.MaxValue : uint.MaxValue);

    private int CieAt(long offset)
    {
        if (_cieIndexByOffset.TryGetValue(offset, out var known)) return known;
        _cieIndexByOffset[offset] = -1;
        var data = section.Data.Span;
        if (offset < 0 || offset >= data.Length || !TryFrame(data, (int)offset, out var entry) || entry.Length == 0) return -1;
        var reader = new SpanReader(data[..entry.End], entry.IdStart);
        if (!IsCieId(entry.Is64Bit ? reader.U64() : reader.U32(), entry.Is64Bit)) return -1;
        try
        {
            cies.Add(ReadCie(ref reader, data));
        }
        catch (CallFrameFormatException e)
        {
            issues.Add(e.Issue);
            return -1;
        }
        return _cieIndexByOffset[offset] = cies.Count - 1;
    }

    private CommonInformationEntry ReadCie(ref SpanReader reader, ReadOnlySpan<byte> data)
    {
        var version = reader.U8();
        if (version is not (1 or 3 or 4)) throw new CallFrameFormatException(UnwindIssue.CieVersionUnsupported);
        var augmentation = reader.CString();
        if (version == 4 && (reader.U8() != 8 || reader.U8() != 0)) throw new CallFrameFormatException(UnwindIssue.CieVersionUnsupported); // address and segment selector sizes
        var codeAlignment = reader.Uleb128();
        var dataAlignment = reader.Sleb128();
        var returnAddressRegister = version == 1 ? reader.U8() : reader.Uleb128();
        var fdeEncoding = PointerEncoding.Absolute;
        var hasAugmentationData = false;
        var isSignalFrame = false;
        if (augmentation.Length > 0)
        {
            // Only a 'z' string says how long its data is, which is what makes unknown letters skippable.
            if (augmentation[0] != (byte)'z') throw new CallFrameFormatException(UnwindIssue.AugmentationUnsupported);
            hasAugmentationData = true;
            var length = reader.Uleb128();
            if (length > (ulong)(reader.End - reader.Position)) throw new CallFrameFormatException(UnwindIssue.FieldTruncated);
            var dataEnd = reader.Position + (int)length;
            foreach (var letter in augmentation[1..])
            {
                if (letter == (byte)'R') fdeEncoding = reader.U8();
                else if (letter == (byte)'L') reader.U8(); // the LSDA pointer's encoding: exception handling only
                else if (letter == (byte)'P') PointerEncoding.ReadValue(ref reader, reader.U8()); // personality routine: skipped
                else if (letter == (byte)'S') isSignalFrame = true;
                else if (letter is not ((byte)'B' or (byte)'G')) break; // unknown: the rest is skipped by length
            }
            if (reader.Position > dataEnd) throw new CallFrameFormatException(UnwindIssue.FieldTruncated);
            reader.Position = dataEnd;
        }
        if (section.Kind == CallFrameSectionKind.DebugFrame) fdeEncoding = PointerEncoding.Absolute;
        var context = new InstructionContext(codeAlignment, dataAlignment, returnAddressRegister, DefaultState, fdeEncoding, section.Bases);
        var initial = interpreter.RunInitialInstructions(data, reader.Position, reader.End, context);
        return new CommonInformationEntry(codeAlignment, dataAlignment, (int)Math.Min(returnAddressRegister, int.MaxValue), fdeEncoding, hasAugmentationData, isSignalFrame, initial);
    }

    private void ReadFde(ref SpanReader reader, int cieIndex)
    {
        var cie = cies[cieIndex];
        ulong start, length;
        if (section.Kind == CallFrameSectionKind.EhFrame)
        {
            start = PointerEncoding.Read(ref reader, (byte)(cie.FdePointerEncoding & ~PointerEncoding.Indirect), section.Bases);
            if ((cie.FdePointerEncoding & PointerEncoding.Indirect) != 0 && !section.Image.TryReadAddress(start, out start))
            {
                throw new CallFrameFormatException(UnwindIssue.PointerEncodingUnsupported);
            }
            length = PointerEncoding.ReadValue(ref reader, cie.FdePointerEncoding);
        }
        else
        {
            start = reader.U64();
            length = reader.U64();
        }
        if (cie.HasAugmentationData) reader.Skip(reader.Uleb128()); // the LSDA pointer, if any
        if (length == 0) return; // covers no code (a function the linker discarded, or padding)
        if (length > ulong.MaxValue - start) throw new CallFrameFormatException(UnwindIssue.FdeOutsideExecutableCode);
        fdes.Add(new FrameDescriptionEntry(start, start + length, cieIndex, reader.Position, reader.End, sourceIndex));
    }

    /// <summary>The initial state before any instruction: nothing known, every register unchanged.</summary>
    private static FrameState DefaultState => new() { CfaKind = CfaRuleKind.RegisterOffset, CfaRegister = Registers.Rsp };

    private static bool TryFrame(ReadOnlySpan<byte> data, int start, out EntryFrame entry)
    {
        entry = default;
        if (data.Length - start < 4) return false;
        ulong length = BinaryPrimitives.ReadUInt32LittleEndian(data[start..]);
        var headerSize = 4;
        if (length == uint.MaxValue)
        {
            if (data.Length - start < 12) return false;
            length = BinaryPrimitives.ReadUInt64LittleEndian(data[(start + 4)..]);
            headerSize = 12;
        }
        if (length > (ulong)(data.Length - start - headerSize)) return false;
        // An id field must fit: 4 bytes, or 8 in the 64-bit format.
        if (length != 0 && length < (ulong)(headerSize == 12 ? 8 : 4)) return false;
        entry = new EntryFrame(start, start + headerSize, start + headerSize + (int)length, (int)length, headerSize == 12);
        return true;
    }

    private readonly record struct EntryFrame(int Start, int IdStart, int End, int Length, bool Is64Bit);
}
