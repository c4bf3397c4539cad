using Collector.Unwinding.Dwarf;
using Collector.Unwinding.Elf;
using Collector.Unwinding.Table;
using Microsoft.Win32.SafeHandles;

namespace Collector.Unwinding;

/// <summary>
/// Builds the unwind table of one x86-64 ELF file from its call-frame information. Never throws for bad input: what
/// cannot be read is counted in <see cref="UnwindTable.Issues"/>, and addresses without rows are left to frame pointers.
/// Costs milliseconds for a large library; call it once per file, never on the sampling path.
/// </summary>
public static class UnwindTableBuilder
{
    /// <summary>The table of <paramref name="file"/> from its own .eh_frame and .debug_frame.</summary>
    public static UnwindTable Build(ReadOnlyMemory<byte> file) => Build(file, ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// The table of <paramref name="file"/>, adding the .debug_frame of <paramref name="separateDebugFile"/> (empty for
    /// none) for code the file itself does not describe. Where both describe the same code, .eh_frame wins, then the
    /// file's own .debug_frame.
    /// </summary>
    public static UnwindTable Build(ReadOnlyMemory<byte> file, ReadOnlyMemory<byte> separateDebugFile) =>
        Build(ElfImage.TryRead(file), separateDebugFile);

    /// <summary>
    /// The table of the open file <paramref name="file"/> from its own .eh_frame and .debug_frame, reading its headers
    /// and those two sections only (never a copy of the whole file). A file that changes while it is read gives a
    /// malformed or partial table, counted in its issues.
    /// </summary>
    public static UnwindTable Build(SafeFileHandle file) =>
        Build(ElfSource.Of(file) is { } source ? ElfImage.TryRead(source, IsCallFrameSection) : null, ReadOnlyMemory<byte>.Empty);

    private static bool IsCallFrameSection(string name) => name is ".eh_frame" or ".debug_frame";

    private static UnwindTable Build(ElfImage? image, ReadOnlyMemory<byte> separateDebugFile)
    {
        var issues = new UnwindIssueCounts();
        if (image is null)
        {
            issues.Add(UnwindIssue.ElfMalformed);
            return new UnwindTable([], issues, 0, CallFrameSources.None);
        }
        var sections = new List<CallFrameSection>(3);
        var sources = CallFrameSources.None;
        if (AddSection(sections, image, ".eh_frame", CallFrameSectionKind.EhFrame, issues)) sources |= CallFrameSources.EhFrame;
        if (AddSection(sections, image, ".debug_frame", CallFrameSectionKind.DebugFrame, issues)) sources |= CallFrameSources.DebugFrame;
        if (!separateDebugFile.IsEmpty)
        {
            var debugImage = ElfImage.TryRead(separateDebugFile);
            if (debugImage is null) issues.Add(UnwindIssue.ElfMalformed);
            else if (AddSection(sections, debugImage, ".debug_frame", CallFrameSectionKind.DebugFrame, issues)) sources |= CallFrameSources.SeparateDebugFrame;
        }

        var interpreter = new CallFrameInterpreter();
        var cies = new List<CommonInformationEntry>();
        var fdes = new List<FrameDescriptionEntry>();
        for (var i = 0; i < sections.Count; i++) new CallFrameSectionParser(sections[i], i, interpreter, cies, fdes, issues).Parse();
        // Sections are listed in order of preference, so at equal starts the preferred FDE comes first and is kept.
        fdes.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.SourceIndex.CompareTo(b.SourceIndex));

        var writer = new UnwindRowWriter(issues);
        var coveredUpTo = 0UL;
        var compiled = 0;
        foreach (var fde in fdes)
        {
            // The end gets a row of its own, so it must fit 32 bits too. Code outside executable segments is corrupt input.
            if (fde.End > uint.MaxValue || !image.IsExecutableRange(fde.Start, fde.End))
            {
                issues.Add(UnwindIssue.FdeOutsideExecutableCode);
                continue;
            }
            if (fde.Start < coveredUpTo)
            {
                issues.Add(UnwindIssue.FdeOverlaps);
                continue;
            }
            var section = sections[fde.SourceIndex];
            var cie = cies[fde.CieIndex];
            var context = new InstructionContext(cie.CodeAlignment, cie.DataAlignment, (ulong)cie.ReturnAddressRegister, cie.InitialState,
                cie.FdePointerEncoding, section.Bases);
            try
            {
                interpreter.RunFde(section.Data.Span, fde.InstructionsStart, fde.InstructionsEnd, fde.Start, fde.End, context, writer);
            }
            catch (CallFrameFormatException e)
            {
                issues.Add(e.Issue);
                writer.Discard();
                continue;
            }
            writer.Commit(fde.End, cie.IsSignalFrame);
            coveredUpTo = fde.End;
            compiled++;
        }
        return new UnwindTable(writer.ToArray(), issues, compiled, sources, image.LoadSegments);
    }

    private static bool AddSection(List<CallFrameSection> sections, ElfImage image, string name, CallFrameSectionKind kind, UnwindIssueCounts issues)
    {
        if (image.Find(name) is not { Data.IsEmpty: false } section) return false;
        var data = section.Data;
        if (section.Compressed && !CompressedSection.TryExpand(section.Data, out data, out var refusal))
        {
            issues.Add(refusal!.Value);
            return false;
        }
        // .eh_frame pointers may be relative to .text or (datarel) to the GOT; .debug_frame holds plain addresses.
        var bases = new PointerBases(section.Address, image.Find(".text")?.Address, image.Find(".got")?.Address);
        sections.Add(new CallFrameSection(kind, data, bases, image, sections.Count));
        return true;
    }
}
