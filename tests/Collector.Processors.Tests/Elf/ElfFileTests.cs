using Collector.Processors.Elf;
using Collector.Processors.Tests.Elf.Support;

namespace Collector.Processors.Tests.Elf;

/// <summary>Headers, build id, load segments and debug link of real binaries, compared with readelf.</summary>
[Collection(CompiledBinariesCollection.Name)]
public sealed class ElfFileTests(CompiledBinaries binaries)
{
    [Fact]
    public void Build_ids_are_the_ones_readelf_shows()
    {
        binaries.Require();
        foreach (var path in binaries.Readable(binaries.Program, binaries.StrippedProgram, binaries.DebugFile, binaries.SharedObject))
        {
            using var file = ElfFile.Open(path);
            var expected = Binutils.BuildId(path);
            Assert.NotNull(expected);
            Assert.Equal(expected, file.GnuBuildIdHex);
            Assert.Equal(Convert.FromHexString(expected), file.GnuBuildId.ToArray());
            Assert.Empty(file.Problems);
        }
    }

    [Fact]
    public void Class_and_byte_order_of_cross_compiled_files_are_read()
    {
        binaries.Require(cross: true);
        foreach (var (name, is64Bit, littleEndian) in new[] { ("tiny-i686", false, true), ("tiny-mips", false, false), ("tiny-aarch64_be", true, false) })
        {
            using var file = ElfFile.Open(binaries.File(name));
            Assert.Equal((is64Bit, littleEndian), (file.Is64Bit, file.IsLittleEndian));
        }
        using var native = ElfFile.Open(binaries.Program);
        Assert.Equal((true, true), (native.Is64Bit, native.IsLittleEndian));
    }

    [Fact]
    public void Load_segments_are_the_ones_readelf_shows()
    {
        binaries.Require();
        foreach (var path in binaries.Readable(binaries.Program, binaries.SharedObject))
        {
            using var file = ElfFile.Open(path);
            var expected = Binutils.Loads(path);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, file.LoadSegments.Select(s => new Binutils.Load(s.FileOffset, s.VirtualAddress, s.FileSize, s.MemorySize)));
        }
    }

    [Fact]
    public void File_offsets_translate_to_the_addresses_the_section_headers_give()
    {
        binaries.Require();
        foreach (var path in binaries.Readable(binaries.Program, binaries.SharedObject))
        {
            // .text's section header (not the program headers we translate with) says where its bytes are.
            var text = Binutils.FindSection(path, ".text");
            using var file = ElfFile.Open(path);
            foreach (var delta in new ulong[] { 0, 1, text.Size / 2, text.Size - 1 })
            {
                Assert.True(file.TryFileOffsetToVirtualAddress(text.Offset + delta, out var address));
                Assert.Equal(text.Address + delta, address);
                Assert.True(file.TryVirtualAddressToFileOffset(text.Address + delta, out var offset));
                Assert.Equal(text.Offset + delta, offset);
            }
            var end = file.LoadSegments.Max(s => s.FileOffset + s.FileSize);
            Assert.False(file.TryFileOffsetToVirtualAddress(end + 0x100000, out _));
        }
    }

    [Fact]
    public void The_debug_link_names_the_debug_file_with_its_crc()
    {
        binaries.Require();
        ExternalTools.Require(File.Exists(ExternalTools.SystemPython), "python3 is not installed");
        using var file = ElfFile.Open(binaries.StrippedProgram);
        Assert.Equal(Path.GetFileName(binaries.DebugFile), file.DebugLinkName);
        // zlib's CRC-32 is the one GDB defines for debug links.
        var crc = Binutils.Run(ExternalTools.SystemPython, "-c", "import sys, zlib; print(zlib.crc32(open(sys.argv[1], 'rb').read()))", binaries.DebugFile);
        Assert.Equal(uint.Parse(crc.Trim(), System.Globalization.CultureInfo.InvariantCulture), file.DebugLinkCrc);

        using var unlinked = ElfFile.Open(binaries.Program);
        Assert.Null(unlinked.DebugLinkName);
        Assert.Equal(0u, unlinked.DebugLinkCrc);
    }

    [Fact]
    public void A_file_opened_from_a_handle_stays_readable_after_the_handle_is_closed()
    {
        binaries.Require();
        ElfFile file;
        using (var handle = File.OpenHandle(binaries.Program))
        {
            file = ElfFile.Open(handle, "prog");
        }
        using (file)
        {
            Assert.Equal("prog", file.DisplayName);
            Assert.True(file.ReadSymbols().Count > 5);
        }
        Assert.Throws<ObjectDisposedException>(() => file.ReadSymbols());
    }

    [Fact]
    public void What_is_not_elf_is_an_elf_format_exception()
    {
        Assert.Throws<ElfFormatException>(() => ElfFile.FromBytes("#!/bin/sh\necho not elf\n"u8.ToArray(), "script"));
        Assert.Throws<ElfFormatException>(() => ElfFile.FromBytes(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 }, "short"));
        Assert.Throws<ElfFormatException>(() => ElfFile.FromBytes(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "class 3"));
        Assert.Throws<ElfFormatException>(() => ElfFile.FromBytes(ReadOnlyMemory<byte>.Empty, "empty"));
        var empty = Path.GetTempFileName();
        try
        {
            Assert.Throws<ElfFormatException>(() => ElfFile.Open(empty));
        }
        finally
        {
            File.Delete(empty);
        }
    }
}
