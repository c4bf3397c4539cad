using Collector.Unwinding.Table;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests;

/// <summary>
/// Files whose call-frame information is in .debug_frame only (built without unwind tables, .eh_frame removed), in
/// the file itself or in a separate debug file next to a stripped executable.
/// </summary>
public sealed class DebugFrameTests(ITestOutputHelper output) : IDisposable
{
    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    [Fact]
    public void A_file_with_only_debug_frame_agrees_with_readelf()
    {
        var program = _build.CompileWithDebugFrameOnly();
        var table = UnwindTableBuilder.Build(File.ReadAllBytes(program));
        Assert.Equal(CallFrameSources.DebugFrame, table.Sources);
        var fdes = ReadelfFrames.Read(program);
        Assert.All(fdes, fde => Assert.Equal(".debug_frame", fde.Section));
        var agreement = ReadelfAgreement.Check(table, fdes);
        output.WriteLine($"{table.Rows.Length} rows, issues: {table.Issues}; {agreement.Summary}");
        Assert.Empty(agreement.Mismatches);
        Assert.True(agreement.Matched > 20, agreement.Summary);
        ReadelfAgreementTests.AssertNoParseFailures(table);
    }

    [Fact]
    public void A_separate_debug_file_gives_a_stripped_file_its_rows()
    {
        var program = _build.CompileWithDebugFrameOnly();
        var debugFile = program + ".debug";
        var stripped = program + ".stripped";
        NativeBuild.Run("objcopy", "--only-keep-debug", program, debugFile);
        NativeBuild.Run("objcopy", "--strip-debug", program, stripped);

        var alone = UnwindTableBuilder.Build(File.ReadAllBytes(stripped));
        Assert.Equal(CallFrameSources.None, alone.Sources);
        Assert.Empty(alone.Rows.ToArray());

        var table = UnwindTableBuilder.Build(File.ReadAllBytes(stripped), File.ReadAllBytes(debugFile));
        Assert.Equal(CallFrameSources.SeparateDebugFrame, table.Sources);
        var agreement = ReadelfAgreement.Check(table, ReadelfFrames.Read(debugFile));
        output.WriteLine($"{table.Rows.Length} rows, issues: {table.Issues}; {agreement.Summary}");
        Assert.Empty(agreement.Mismatches);
        Assert.True(agreement.Matched > 20, agreement.Summary);
        Assert.Equal(UnwindTableBuilder.Build(File.ReadAllBytes(program)).Rows.ToArray(), table.Rows.ToArray());
    }

    [Fact]
    public void Eh_frame_wins_where_both_sections_describe_the_same_code()
    {
        NativeBuild.RequireDebugFrameTools();
        // -g with unwind tables on: gcc still emits .eh_frame only, so give the file a .debug_frame from another build.
        var withEhFrame = _build.Compile("both", TestPrograms.DeepC, ".c", "gcc", "-O2", "-fomit-frame-pointer");
        var ehOnly = UnwindTableBuilder.Build(File.ReadAllBytes(withEhFrame));
        var debugOnly = _build.CompileWithDebugFrameOnly();
        var debugFrame = debugOnly + ".debug";
        NativeBuild.Run("objcopy", "--only-keep-debug", debugOnly, debugFrame);
        var combined = UnwindTableBuilder.Build(File.ReadAllBytes(withEhFrame), File.ReadAllBytes(debugFrame));
        Assert.Equal(CallFrameSources.EhFrame | CallFrameSources.SeparateDebugFrame, combined.Sources);
        // Both builds place main's functions alike, so the debug file's FDEs for them overlap .eh_frame's and are refused.
        Assert.True(combined.Issues[UnwindIssue.FdeOverlaps] > 0, combined.Issues.ToString());
        foreach (var row in ehOnly.Rows)
        {
            Assert.True(combined.TryFind(row.PcStart, out var kept));
            if (row.CfaKind != CfaKind.FramePointer) Assert.True(row.HasSameRules(kept), $"{row} became {kept}");
        }
        output.WriteLine($"issues: {combined.Issues}");
    }
}
