using Collector.Unwinding.Elf;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests;

/// <summary>
/// Tables built from an open file (headers and call-frame sections read by position, what the collector does) are
/// the tables built from the whole file in memory; so are build ids. A file that is not ELF, or is cut short, gives a
/// counted malformed table, not an exception.
/// </summary>
public sealed class OpenFileBuildTests : IDisposable
{
    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    public static TheoryData<string> DistributionFiles => new("/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/python3.11", "/lib/x86_64-linux-gnu/libstdc++.so.6");

    [Theory]
    [MemberData(nameof(DistributionFiles))]
    public void A_distribution_files_table_and_build_id_are_the_same_read_by_position(string path)
    {
        ExternalTools.Require(File.Exists(path), $"{path} is not installed");
        AssertSameBothWays(path);
    }

    [Fact]
    public void A_program_with_exceptions_is_the_same_read_by_position()
    {
        ExternalTools.Require("g++", "g++");
        AssertSameBothWays(_build.Compile("exceptions", TestPrograms.ExceptionsCpp, ".cc", "g++", "-O2", "-fomit-frame-pointer", "-g"), minimumRows: 20);
    }

    [Fact]
    public void A_program_described_by_debug_frame_only_is_the_same_read_by_position()
    {
        ExternalTools.Require("gcc", "gcc");
        var program = _build.Compile("debugonly", TestPrograms.DeepC, ".c", "gcc", "-O2", "-g", "-fomit-frame-pointer", "-fno-asynchronous-unwind-tables", "-fno-exceptions");
        Assert.Equal(Table.CallFrameSources.DebugFrame, UnwindTableBuilder.Build(File.ReadAllBytes(program)).Sources & Table.CallFrameSources.DebugFrame);
        AssertSameBothWays(program, minimumRows: 10);
    }

    [Fact]
    public void A_file_that_is_not_elf_or_is_cut_short_gives_a_malformed_table()
    {
        ExternalTools.Require("gcc", "gcc");
        var program = _build.Compile("short", TestPrograms.DeepC, ".c", "gcc", "-O2");
        var bytes = File.ReadAllBytes(program);
        foreach (var length in new[] { 0, 10, 64, bytes.Length / 2, bytes.Length - 1 })
        {
            var cut = Path.Combine(_build.Directory, $"cut-{length}");
            File.WriteAllBytes(cut, bytes[..length]);
            using var file = File.OpenHandle(cut);

            var table = UnwindTableBuilder.Build(file);

            Assert.Equal(UnwindTableBuilder.Build(bytes[..length]).Rows.Length, table.Rows.Length);
            ElfBuildId.Read(file); // must not throw
        }
    }

    private static void AssertSameBothWays(string path, int minimumRows = 100)
    {
        var bytes = File.ReadAllBytes(path);
        using var file = File.OpenHandle(path);

        var fromMemory = UnwindTableBuilder.Build(bytes);
        var fromFile = UnwindTableBuilder.Build(file);

        Assert.True(fromMemory.Rows.Length >= minimumRows, $"{path}: only {fromMemory.Rows.Length} rows");
        Assert.True(fromMemory.Rows.SequenceEqual(fromFile.Rows), $"{path}: the rows differ");
        Assert.Equal(fromMemory.FdeCount, fromFile.FdeCount);
        Assert.Equal(fromMemory.Sources, fromFile.Sources);
        Assert.Equal(fromMemory.Issues.ToString(), fromFile.Issues.ToString());
        Assert.Equal(ElfBuildId.Read(bytes).ToArray(), ElfBuildId.Read(file).ToArray());
    }
}
