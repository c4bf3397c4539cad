using System.Buffers.Binary;
using Collector.Processors.Elf;
using Collector.Processors.Tests.Elf.Support;

namespace Collector.Processors.Tests.Elf;

/// <summary>
/// 1,000 deterministic mutations of a real ELF file (bit flips, truncations, header, program header, section
/// header and symbol overwrites with random and extreme values): each either parses or is an
/// <see cref="ElfFormatException"/>, and nothing done with what parsed throws at all.
/// </summary>
[Collection(CompiledBinariesCollection.Name)]
public sealed class ElfFuzzTests(CompiledBinaries binaries, ITestOutputHelper output)
{
    private const int Mutations = 1000;

    private static readonly ulong[] Extremes = [0, 1, 0x7f, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff, 0x8000_0000_0000_0000, ulong.MaxValue];

    [Fact]
    public void Every_mutation_parses_or_is_a_format_error()
    {
        binaries.Require();
        var original = File.ReadAllBytes(binaries.Program);
        var symtab = Binutils.FindSection(binaries.Program, ".symtab");
        var strtab = Binutils.FindSection(binaries.Program, ".strtab");
        var random = new Random(20261121);
        var (parsed, rejected, withProblems) = (0, 0, 0);
        var failures = new List<string>();
        using var scratch = new TempFile();
        for (var i = 0; i < Mutations; i++)
        {
            var (image, description) = Mutate(original, i % 7, random, symtab, strtab);
            try
            {
                // Every 25th goes through the memory-mapped path and the debug link follower.
                using var file = i % 25 == 0 ? OpenFromDisk(scratch.Path, image) : ElfFile.FromBytes(image, description);
                parsed++;
                withProblems += file.Problems.Count > 0 ? 1 : 0;
                Exercise(file, image, random);
                if (i % 25 == 0) _ = new DebugFileLocator([scratch.Path + ".none"]).FollowDebugLinks(scratch.Path);
            }
            catch (ElfFormatException)
            {
                rejected++;
            }
            catch (Exception exception)
            {
                failures.Add($"mutation {i} ({description}): {exception}");
            }
        }
        output.WriteLine($"{Mutations} mutations: {parsed} parsed ({withProblems} with problems noted), {rejected} rejected, {failures.Count} crashed");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)));
        Assert.True(parsed > 100 && rejected > 20, $"the mutations should both parse and fail: {parsed} parsed, {rejected} rejected");
    }

    [Theory]
    [MemberData(nameof(SymbolTableRulesTests.Layouts), MemberType = typeof(SymbolTableRulesTests))]
    public void Mutations_of_every_class_and_byte_order_parse_or_are_format_errors(bool is64Bit, bool littleEndian)
    {
        var original = new ElfImageBuilder(is64Bit, littleEndian) { TextSize = 0x200 }
            .BuildId([9, 8, 7, 6, 5, 4, 3, 2]).Function("a", 0x10, 0x10).Function("b", 0x20, 0).Function("c", 0x40, 0x100, bind: 2)
            .DebugLink("image.debug", 42).Build();
        var random = new Random(is64Bit ? (littleEndian ? 1 : 2) : (littleEndian ? 3 : 4));
        var failures = new List<string>();
        for (var i = 0; i < 250; i++)
        {
            // Overwrites anywhere (the crafted image is small, so most land in headers and tables), and cuts.
            var image = i % 5 == 0 ? original[..random.Next(original.Length)] : Overwrite(original.ToArray(), random.Next(original.Length), random);
            try
            {
                using var file = ElfFile.FromBytes(image, $"mutation {i}");
                Exercise(file, image, random);
            }
            catch (ElfFormatException)
            {
            }
            catch (Exception exception)
            {
                failures.Add($"mutation {i}: {exception}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)));
    }

    private static void Exercise(ElfFile file, byte[] image, Random random)
    {
        _ = file.GnuBuildIdHex;
        _ = file.DebugLinkName;
        _ = file.LoadSegments.Count;
        _ = Htlhash.Compute(image);
        file.TryFileOffsetToVirtualAddress((ulong)random.NextInt64(), out _);
        file.TryVirtualAddressToFileOffset((ulong)random.NextInt64(), out _);
        var table = file.ReadSymbols();
        for (var j = 0; j < table.Count; j += 1 + (table.Count / 16))
        {
            var symbol = table[j];
            table.TryFind(symbol.Start, out _);
            table.TryFind(symbol.Start + symbol.Size, out _);
        }
        foreach (var address in new[] { 0ul, ulong.MaxValue, (ulong)random.NextInt64(), (ulong)random.Next(image.Length) }) table.TryFind(address, out _);
    }

    private static ElfFile OpenFromDisk(string path, byte[] image)
    {
        File.WriteAllBytes(path, image);
        return ElfFile.Open(path);
    }

    private static (byte[] Image, string Description) Mutate(byte[] original, int kind, Random random, Binutils.Section symtab, Binutils.Section strtab)
    {
        var image = original.ToArray();
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(0x28));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(0x3c));
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(0x38));
        switch (kind)
        {
            case 0:
                var flips = random.Next(1, 9);
                for (var f = 0; f < flips; f++) image[random.Next(image.Length)] ^= (byte)(1 << random.Next(8));
                return (image, $"{flips} bit flips");
            case 1:
                // Half of the cuts fall inside the ELF header, where the file must be refused.
                var length = random.Next(2) == 0 ? random.Next(80) : random.Next(image.Length);
                return (image[..length], $"truncated to {length}");
            case 2:
                var headerField = random.Next(64);
                return (Overwrite(image, headerField, random), $"ELF header byte {headerField}");
            case 3:
                var programHeader = 64 + (random.Next(phnum) * 56) + random.Next(56);
                return (Overwrite(image, programHeader, random), $"program header byte {programHeader}");
            case 4:
                var sectionHeader = shoff + (random.Next(shnum) * 64) + (random.Next(16) * 4);
                return (Overwrite(image, sectionHeader, random), $"section header byte {sectionHeader}");
            case 5:
                var symbol = (int)symtab.Offset + random.Next((int)symtab.Size - 8);
                return (Overwrite(image, symbol, random), $"symbol byte {symbol}");
            default:
                // Strings without terminators: a run of 'A' over part of .strtab, sometimes to its end.
                var start = (int)strtab.Offset + random.Next((int)strtab.Size);
                var end = random.Next(2) == 0 ? (int)(strtab.Offset + strtab.Size) : Math.Min(start + random.Next(1, 64), (int)(strtab.Offset + strtab.Size));
                image.AsSpan(start, end - start).Fill((byte)'A');
                return (image, $"strtab [{start}, {end}) without NUL");
        }
    }

    /// <summary>Writes 2, 4 or 8 bytes of a random or extreme value at <paramref name="offset"/> (clipped to the file).</summary>
    private static byte[] Overwrite(byte[] image, int offset, Random random)
    {
        var value = random.Next(2) == 0 ? Extremes[random.Next(Extremes.Length)] : (ulong)random.NextInt64() >> random.Next(64);
        var width = new[] { 2, 4, 8 }[random.Next(3)];
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        var count = Math.Min(width, image.Length - offset);
        bytes[..count].CopyTo(image.AsSpan(offset));
        return image;
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public void Dispose() => File.Delete(Path);
    }
}
