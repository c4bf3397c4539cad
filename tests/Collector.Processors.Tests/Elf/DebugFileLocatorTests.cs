using Collector.Processors.Elf;
using Collector.Processors.Tests.Elf.Support;

namespace Collector.Processors.Tests.Elf;

/// <summary>Debug files by build id and by debug link (verified by CRC), and the guards against cycles and deep chains.</summary>
[Collection(CompiledBinariesCollection.Name)]
public sealed class DebugFileLocatorTests(CompiledBinaries binaries) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("collector-debug-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_debug_file_is_found_under_its_build_id_and_must_carry_that_id()
    {
        binaries.Require();
        using var program = ElfFile.Open(binaries.Program);
        var hex = program.GnuBuildIdHex!;
        var debugRoot = Path.Combine(_root, "usr-lib-debug");
        var expected = Path.Combine(debugRoot, ".build-id", hex[..2], hex[2..] + ".debug");
        Directory.CreateDirectory(Path.GetDirectoryName(expected)!);
        File.Copy(binaries.DebugFile, expected);
        var locator = new DebugFileLocator([Path.Combine(_root, "elsewhere"), debugRoot]);
        Assert.Equal(expected, locator.FindByBuildId(program.GnuBuildId));
        Assert.Equal(expected, locator.FindFor(binaries.Program, program));

        // A file at another id's place whose own id differs is not trusted.
        using var shared = ElfFile.Open(binaries.SharedObject);
        var otherHex = shared.GnuBuildIdHex!;
        var impostor = Path.Combine(debugRoot, ".build-id", otherHex[..2], otherHex[2..] + ".debug");
        Directory.CreateDirectory(Path.GetDirectoryName(impostor)!);
        File.Copy(binaries.DebugFile, impostor);
        Assert.Null(locator.FindByBuildId(shared.GnuBuildId));
        Assert.Null(locator.FindByBuildId([0xab]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".debug")]
    [InlineData("root")]
    public void A_debug_link_is_found_beside_the_binary_in_its_debug_directory_or_under_a_root(string place)
    {
        binaries.Require();
        var binaryDirectory = Path.Combine(_root, "opt", "app");
        Directory.CreateDirectory(binaryDirectory);
        var binary = Path.Combine(binaryDirectory, "prog-stripped");
        File.Copy(binaries.StrippedProgram, binary);
        var debugRoot = Path.Combine(_root, "debug-root");
        var directory = place == "root" ? Path.Combine(debugRoot, binaryDirectory.TrimStart('/')) : Path.Combine(binaryDirectory, place);
        Directory.CreateDirectory(directory);
        var debugFile = Path.Combine(directory, Path.GetFileName(binaries.DebugFile));
        File.Copy(binaries.DebugFile, debugFile);

        using var file = ElfFile.Open(binary);
        var locator = new DebugFileLocator([debugRoot]);
        Assert.Equal(debugFile, locator.FindByDebugLink(binary, file.DebugLinkName!, file.DebugLinkCrc));
        Assert.Equal(debugFile, locator.FindFor(binary, file));
        Assert.Equal([debugFile], locator.FollowDebugLinks(binary));

        // The same name with other content (a stale debug file) fails the CRC check.
        File.AppendAllText(debugFile, "changed");
        Assert.Null(locator.FindByDebugLink(binary, file.DebugLinkName!, file.DebugLinkCrc));
    }

    [Theory]
    [InlineData("../escape.debug")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("sub/dir.debug")]
    public void A_link_name_that_is_not_a_bare_file_name_is_refused(string linkName)
    {
        File.WriteAllText(Path.Combine(_root, "escape.debug"), "x");
        Assert.Null(new DebugFileLocator([_root]).FindByDebugLink(Path.Combine(_root, "bin", "app"), linkName, 0));
    }

    [Fact]
    public void Debug_files_that_link_back_end_the_chain()
    {
        // a → b.debug → a: both CRCs forced so that each link verifies.
        const uint CrcOfA = 0x1234abcd, CrcOfB = 0x0badf00d;
        var a = Path.Combine(_root, "a");
        var b = Path.Combine(_root, "b.debug");
        File.WriteAllBytes(a, CrcForgery.AppendToReach(new ElfImageBuilder(true, true).Function("f", 0x10, 4).DebugLink("b.debug", CrcOfB).Build(), CrcOfA));
        File.WriteAllBytes(b, CrcForgery.AppendToReach(new ElfImageBuilder(true, true).Function("f", 0x10, 4).DebugLink("a", CrcOfA).Build(), CrcOfB));
        var locator = new DebugFileLocator([Path.Combine(_root, "none")]);
        Assert.Equal([b], locator.FollowDebugLinks(a));
        Assert.Equal([a], locator.FollowDebugLinks(b));
    }

    [Fact]
    public void A_file_that_links_to_itself_is_never_its_own_debug_file()
    {
        const uint Crc = 0x5eed5eed;
        var self = Path.Combine(_root, "self");
        File.WriteAllBytes(self, CrcForgery.AppendToReach(new ElfImageBuilder(false, false).DebugLink("self", Crc).Build(), Crc));
        var locator = new DebugFileLocator([Path.Combine(_root, "none")]);
        Assert.Null(locator.FindByDebugLink(self, "self", Crc));
        Assert.Empty(locator.FollowDebugLinks(self));
    }

    [Fact]
    public void A_long_chain_of_debug_links_is_followed_only_so_far()
    {
        // f0 → f1 → … → f7, built from the end so that each link carries the real CRC of the next file.
        var next = (Name: (string?)null, Crc: 0u);
        for (var i = 7; i >= 0; i--)
        {
            var builder = new ElfImageBuilder(true, false).Function("f", 0x10, 4);
            if (next.Name is not null) builder.DebugLink(next.Name, next.Crc);
            var bytes = builder.Build();
            File.WriteAllBytes(Path.Combine(_root, $"f{i}"), bytes);
            next = ($"f{i}", Crc32.Append(0, bytes));
        }
        var chain = new DebugFileLocator([Path.Combine(_root, "none")]).FollowDebugLinks(Path.Combine(_root, "f0"));
        Assert.Equal(Enumerable.Range(1, DebugFileLocator.MaxLinkDepth).Select(i => Path.Combine(_root, $"f{i}")), chain);
    }
}
