using System.Buffers.Binary;
using System.IO.Compression;
using Collector.Unwinding.Elf;
using Collector.Unwinding.Table;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests.Elf;

/// <summary>
/// Compressed .debug_frame (SHF_COMPRESSED), as the Go linker, `gcc -gz` and Debian's debug packages write it: the
/// rows are those of the same section uncompressed, and a section we cannot expand is counted and skipped.
/// </summary>
public sealed class CompressedSectionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly byte[] Plain = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 251))];

    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    [Fact]
    public void A_zlib_compressed_debug_frame_gives_the_rows_of_the_uncompressed_one()
    {
        var program = _build.CompileWithDebugFrameOnly();
        var compressed = program + ".gz";
        NativeBuild.Run("objcopy", "--compress-debug-sections=zlib", program, compressed);
        Assert.Matches(@"\.debug_frame\s+PROGBITS\s+\S+\s+\S+\s+\S+\s+\S+\s+C ", NativeBuild.Run("readelf", "-S", "-W", compressed));

        var plain = UnwindTableBuilder.Build(File.ReadAllBytes(program));
        var fromMemory = UnwindTableBuilder.Build(File.ReadAllBytes(compressed));
        using var handle = File.OpenHandle(compressed);
        var fromFile = UnwindTableBuilder.Build(handle);

        output.WriteLine($"{plain.Rows.Length} rows; issues {fromMemory.Issues}");
        Assert.True(plain.Rows.Length > 20);
        Assert.Equal(CallFrameSources.DebugFrame, fromMemory.Sources);
        Assert.Equal(plain.Rows.ToArray(), fromMemory.Rows.ToArray());
        Assert.Equal(plain.Rows.ToArray(), fromFile.Rows.ToArray());
        Assert.Equal(0, fromMemory.Issues[UnwindIssue.SectionCompressionInvalid] + fromMemory.Issues[UnwindIssue.SectionCompressionUnsupported]);
    }

    [Fact]
    public void A_compressed_separate_debug_file_gives_a_stripped_file_its_rows()
    {
        var program = _build.CompileWithDebugFrameOnly();
        var debugFile = program + ".debug";
        var stripped = program + ".stripped";
        NativeBuild.Run("objcopy", "--only-keep-debug", "--compress-debug-sections=zlib", program, debugFile);
        NativeBuild.Run("objcopy", "--strip-debug", program, stripped);

        var table = UnwindTableBuilder.Build(File.ReadAllBytes(stripped), File.ReadAllBytes(debugFile));

        Assert.Equal(CallFrameSources.SeparateDebugFrame, table.Sources);
        Assert.Equal(UnwindTableBuilder.Build(File.ReadAllBytes(program)).Rows.ToArray(), table.Rows.ToArray());
    }

    [Fact]
    public void A_zstd_compressed_debug_frame_is_counted_and_skipped()
    {
        var program = _build.CompileWithDebugFrameOnly();
        var compressed = program + ".zst";
        NativeBuild.Run("objcopy", "--compress-debug-sections=zstd", program, compressed);

        var table = UnwindTableBuilder.Build(File.ReadAllBytes(compressed));

        Assert.Equal(1, table.Issues[UnwindIssue.SectionCompressionUnsupported]);
        Assert.Equal(CallFrameSources.None, table.Sources);
        Assert.Empty(table.Rows.ToArray());
    }

    [Fact]
    public void Zlib_contents_expand_to_the_size_the_header_gives()
    {
        Assert.True(CompressedSection.TryExpand(Section(1, Plain.Length, Zlib(Plain)), out var contents, out var refusal));
        Assert.Null(refusal);
        Assert.Equal(Plain, contents.ToArray());
    }

    [Theory]
    [InlineData("header cut short")]
    [InlineData("size too large")]
    [InlineData("size too small")]
    [InlineData("size beyond what zlib can expand to")]
    [InlineData("size beyond the limit")]
    [InlineData("stream cut short")]
    [InlineData("not a zlib stream")]
    public void A_broken_section_is_refused_as_invalid_without_throwing(string broken)
    {
        var stream = Zlib(Plain);
        var section = broken switch
        {
            "header cut short" => Section(1, Plain.Length, stream)[..20],
            "size too large" => Section(1, Plain.Length + 1, stream),
            "size too small" => Section(1, Plain.Length - 1, stream),
            "size beyond what zlib can expand to" => Section(1, (long)stream.Length * 1033, stream),
            "size beyond the limit" => Section(1, (long)CompressedSection.MaxSize + 1, new byte[1 << 20]),
            "stream cut short" => Section(1, Plain.Length, stream[..(stream.Length / 2)]),
            _ => Section(1, Plain.Length, Plain[..100]),
        };

        Assert.False(CompressedSection.TryExpand(section, out var contents, out var refusal));
        Assert.Equal(UnwindIssue.SectionCompressionInvalid, refusal);
        Assert.True(contents.IsEmpty);
    }

    [Fact]
    public void An_unknown_compression_type_is_refused_as_unsupported()
    {
        Assert.False(CompressedSection.TryExpand(Section(2, Plain.Length, Zlib(Plain)), out _, out var refusal));
        Assert.Equal(UnwindIssue.SectionCompressionUnsupported, refusal);
    }

    private static byte[] Zlib(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal)) zlib.Write(plain);
        return buffer.ToArray();
    }

    // Elf64_Chdr: ch_type, ch_reserved, ch_size, ch_addralign; then the compressed bytes.
    private static byte[] Section(uint type, long size, byte[] stream)
    {
        var section = new byte[24 + stream.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(section, type);
        BinaryPrimitives.WriteInt64LittleEndian(section.AsSpan(8), size);
        BinaryPrimitives.WriteInt64LittleEndian(section.AsSpan(16), 8);
        stream.CopyTo(section, 24);
        return section;
    }
}
