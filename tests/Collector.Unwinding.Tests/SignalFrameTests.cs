using System.Globalization;
using System.Text.RegularExpressions;
using Collector.Unwinding.Table;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests;

/// <summary>
/// FDEs of a CIE with augmentation 'S' become signal-frame rows (the registers come from the ucontext on the stack),
/// exactly over their range; and a function marking its return address undefined ends the stack cleanly.
/// </summary>
public sealed partial class SignalFrameTests(ITestOutputHelper output) : IDisposable
{
    private const string Libc = "/lib/x86_64-linux-gnu/libc.so.6";
    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    [Fact]
    public void Libc_restore_rt_is_a_signal_frame_row()
    {
        ExternalTools.Require(File.Exists(Libc), $"{Libc} does not exist");
        ExternalTools.Require("readelf", "binutils");
        // libc.so.6 has no .symtab; __restore_rt is the one FDE under a "zRS" CIE, which readelf shows.
        var (_, frames, _) = ExternalTools.Run("readelf", ["--debug-dump=frames", Libc], stdin: null);
        var cie = SignalCie().Match(frames);
        Assert.True(cie.Success, "no zRS CIE in libc");
        var fde = new Regex($@"FDE cie={cie.Groups[1].Value} pc=([0-9a-f]+)\.\.([0-9a-f]+)").Match(frames);
        Assert.True(fde.Success);
        var (start, end) = (Hex(fde.Groups[1].Value), Hex(fde.Groups[2].Value));

        var table = UnwindTableBuilder.Build(File.ReadAllBytes(Libc));
        for (var pc = start; pc < end; pc++)
        {
            Assert.True(table.TryFind(pc, out var row));
            Assert.Equal(CfaKind.SignalFrame, row.CfaKind);
        }
        Assert.True(table.TryFind(end, out var after));
        Assert.NotEqual(CfaKind.SignalFrame, after.CfaKind);
        Assert.True(table.TryFind(start - 1, out var before));
        Assert.NotEqual(CfaKind.SignalFrame, before.CfaKind);
        output.WriteLine($"__restore_rt FDE {start:x}..{end:x}");
    }

    [Fact]
    public void A_cfi_signal_frame_function_is_a_signal_frame_row_and_an_undefined_return_address_ends_the_stack()
    {
        ExternalTools.Require("gcc", "gcc");
        ExternalTools.Require("nm", "binutils");
        var program = _build.Compile("opcodes", TestPrograms.OpcodesC, ".c", "gcc", "-O2");
        var table = UnwindTableBuilder.Build(File.ReadAllBytes(program));

        var trampoline = Symbols.Address(program, "trampoline");
        Assert.True(table.TryFind(trampoline, out var signal));
        Assert.Equal(CfaKind.SignalFrame, signal.CfaKind);
        // The nop before it has no FDE: frame pointer.
        Assert.True(table.TryFind(trampoline - 1, out var gap));
        Assert.Equal(CfaKind.FramePointer, gap.CfaKind);

        Assert.True(table.TryFind(Symbols.Address(program, "outermost"), out var outermost));
        Assert.Equal(ReturnAddressRule.Undefined, outermost.ReturnAddress);
        Assert.Equal(CfaKind.RspOffset, outermost.CfaKind);
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"([0-9a-f]{8}) [0-9a-f]+ [0-9a-f]+ CIE\n  Version:\s+\d+\n  Augmentation:\s+""zRS""")]
    private static partial Regex SignalCie();
}
