using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Collector.Unwinding.Table;

namespace Collector.Unwinding.Tests;

/// <summary>The row's bytes are exactly those documented in <see cref="UnwindRowLayout"/>, for the BPF header to mirror.</summary>
public sealed class RowLayoutTests
{
    [Fact]
    public void A_row_is_twelve_bytes_at_the_documented_offsets()
    {
        var row = new UnwindRow(0x01020304, CfaKind.PltExpression, -0x11223344, RbpRule.AtCfaOffset, -0x1234, ReturnAddressRule.Undefined);
        var bytes = new byte[UnwindRowLayout.Size];
        row.WriteTo(bytes);
        Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01, 0xbc, 0xcc, 0xdd, 0xee, 0xcc, 0xed, 3, 1 | (1 << 2) }, bytes);
        Assert.Equal(UnwindRowLayout.Size, Unsafe.SizeOf<UnwindRow>());
        if (BitConverter.IsLittleEndian) Assert.Equal(bytes, MemoryMarshal.AsBytes(new[] { row }.AsSpan()).ToArray());
        Assert.Equal((RbpRule.AtCfaOffset, ReturnAddressRule.Undefined, (short)-0x1234), (row.RbpRule, row.ReturnAddress, row.RbpOffset));
    }

    [Fact]
    public void Rows_alike_but_for_their_start_have_the_same_rules()
    {
        var row = new UnwindRow(0x10, CfaKind.RspOffset, 16, RbpRule.Unchanged, 0, ReturnAddressRule.AtCfaMinus8);
        Assert.True(row.HasSameRules(row.At(0x20)));
        Assert.NotEqual(row, row.At(0x20));
        Assert.False(row.HasSameRules(new UnwindRow(0x10, CfaKind.RspOffset, 24, RbpRule.Unchanged, 0, ReturnAddressRule.AtCfaMinus8)));
    }
}
