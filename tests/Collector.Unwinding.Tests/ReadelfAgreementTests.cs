using Collector.Unwinding.Table;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests;

/// <summary>
/// Our rows against readelf's interpretation of the same call-frame information, for programs compiled here and for
/// the distribution's own files: at every location readelf prints, the CFA rule and the RBP rule agree.
/// </summary>
public sealed class ReadelfAgreementTests(ITestOutputHelper output) : IDisposable
{
    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    [Fact]
    public void A_C_program_without_frame_pointers_agrees_with_readelf()
    {
        ExternalTools.Require("gcc", "gcc");
        ExternalTools.Require("readelf", "binutils");
        var program = _build.Compile("deep", TestPrograms.DeepC, ".c", "gcc", "-O2", "-fomit-frame-pointer", "-fasynchronous-unwind-tables");
        var agreement = AssertAgrees(program);
        Assert.True(agreement.Matched > 20, agreement.Summary);
    }

    [Fact]
    public void Hand_written_instructions_of_every_kind_agree_with_readelf()
    {
        ExternalTools.Require("gcc", "gcc");
        ExternalTools.Require("readelf", "binutils");
        var program = _build.Compile("opcodes", TestPrograms.OpcodesC, ".c", "gcc", "-O2");
        var instructions = NativeBuild.Run("readelf", "--debug-dump=frames", program);
        foreach (var opcode in new[] { "advance_loc1", "advance_loc2", "advance_loc4", "remember_state", "restore_state", "def_cfa_sf", "def_cfa_offset_sf",
            "offset_extended_sf", "val_offset", "DW_CFA_register", "same_value", "undefined", "GNU_args_size", "GNU_negative_offset_extended",
            "DW_CFA_expression", "restore_extended", "def_cfa_register" })
        {
            Assert.Contains("DW_CFA_" + opcode.Replace("DW_CFA_", "", StringComparison.Ordinal), instructions, StringComparison.Ordinal);
        }
        var agreement = AssertAgrees(program);
        // val_offset, register and expression for RBP, and an RBX-based CFA, are each seen once and refused.
        Assert.Equal(1, agreement.NotRepresentable["RBP rule v-8"]);
        Assert.Equal(1, agreement.NotRepresentable["RBP rule register"]);
        Assert.Equal(1, agreement.NotRepresentable["RBP rule exp"]);
        Assert.Equal(1, agreement.NotRepresentable["CFA register rbx"]);
    }

    [Fact]
    public void A_cpp_program_with_exceptions_agrees_with_readelf()
    {
        ExternalTools.Require("g++", "g++");
        ExternalTools.Require("readelf", "binutils");
        var program = _build.Compile("exceptions", TestPrograms.ExceptionsCpp, ".cc", "g++", "-O2", "-fomit-frame-pointer");
        Assert.Contains("\"zPLR\"", NativeBuild.Run("readelf", "--debug-dump=frames", program), StringComparison.Ordinal);
        AssertAgrees(program);
    }

    [Theory]
    [InlineData("/usr/bin/python3.11")]
    [InlineData("/lib/x86_64-linux-gnu/libc.so.6")]
    public void A_distribution_file_agrees_with_readelf(string path)
    {
        ExternalTools.Require(File.Exists(path), $"{path} does not exist");
        ExternalTools.Require("readelf", "binutils");
        var agreement = AssertAgrees(path);
        Assert.True(agreement.Matched > 10_000, agreement.Summary);
    }

    private ReadelfAgreement AssertAgrees(string path)
    {
        var table = UnwindTableBuilder.Build(File.ReadAllBytes(path));
        var agreement = ReadelfAgreement.Check(table, ReadelfFrames.Read(path));
        output.WriteLine($"{path}: {table.Rows.Length} rows, {table.SizeInBytes} bytes, {table.FdeCount} FDEs; issues: {table.Issues}");
        output.WriteLine(agreement.Summary);
        foreach (var mismatch in agreement.Mismatches.Take(20)) output.WriteLine(mismatch);
        Assert.Empty(agreement.Mismatches);
        Assert.True(agreement.Compared > 0);
        AssertNoParseFailures(table);
        return agreement;
    }

    /// <summary>Well-formed files give no structural issue; only rules a row cannot hold are counted.</summary>
    internal static void AssertNoParseFailures(UnwindTable table)
    {
        foreach (var issue in Enum.GetValues<UnwindIssue>())
        {
            if (issue is UnwindIssue.CfaRegisterUnsupported or UnwindIssue.CfaExpressionUnsupported or UnwindIssue.RbpRuleUnsupported
                or UnwindIssue.ReturnAddressRuleUnsupported) continue;
            Assert.True(table.Issues[issue] == 0, $"{issue}: {table.Issues}");
        }
    }
}
