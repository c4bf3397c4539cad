using Collector.Unwinding.Elf;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests.Elf;

/// <summary>The build id the unwinder names files by agrees with what readelf shows; damaged notes give none, never an exception.</summary>
public sealed class ElfBuildIdTests : IDisposable
{
    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    [Theory]
    [InlineData("sha1")]
    [InlineData("md5")]
    [InlineData("0x0123456789abcdef")]
    public void Reads_the_build_id_readelf_shows(string style)
    {
        ExternalTools.Require("gcc", "gcc");
        ExternalTools.Require("readelf", "binutils");
        var program = _build.Compile("noted", TestPrograms.DeepC, ".c", "gcc", "-O2", $"-Wl,--build-id={style}");

        var id = ElfBuildId.Read(File.ReadAllBytes(program));

        Assert.Equal(ReadelfBuildId(program), Convert.ToHexStringLower(id.Span));
    }

    [Fact]
    public void A_file_linked_without_a_build_id_has_none()
    {
        ExternalTools.Require("gcc", "gcc");
        var program = _build.Compile("plain", TestPrograms.DeepC, ".c", "gcc", "-O2", "-Wl,--build-id=none");

        Assert.True(ElfBuildId.Read(File.ReadAllBytes(program)).IsEmpty);
    }

    [Fact]
    public void Truncated_or_damaged_files_give_none_or_bytes_inside_the_file()
    {
        ExternalTools.Require("gcc", "gcc");
        var original = File.ReadAllBytes(_build.Compile("damaged", TestPrograms.DeepC, ".c", "gcc", "-O2", "-Wl,--build-id=sha1"));
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var file = original[..random.Next(0, original.Length + 1)];
            for (var flips = 0; flips < 8 && file.Length > 0; flips++) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));

            var id = ElfBuildId.Read(file); // must not throw

            Assert.True(id.Length <= file.Length);
        }
        Assert.True(ElfBuildId.Read(ReadOnlyMemory<byte>.Empty).IsEmpty);
        Assert.True(ElfBuildId.Read("not an ELF file at all"u8.ToArray()).IsEmpty);
    }

    private static string ReadelfBuildId(string path)
    {
        var notes = NativeBuild.Run("readelf", "-n", path);
        var line = notes.Split('\n').Single(l => l.Contains("Build ID:", StringComparison.Ordinal));
        return line[(line.IndexOf("Build ID:", StringComparison.Ordinal) + "Build ID:".Length)..].Trim();
    }
}
