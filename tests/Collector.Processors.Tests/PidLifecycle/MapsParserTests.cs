using Collector.ProcMaps;
using Collector.Processors.PidLifecycle;

namespace Collector.Processors.Tests.PidLifecycle;

public class MapsParserTests
{
    [Fact]
    public void A_file_mapping_gives_range_permissions_offset_device_inode_and_path()
    {
        Assert.True(MapsParser.TryParseLine("7f6b78501000-7f6b78657000 r-xp 00026000 fe:00 332096                     /usr/lib/x86_64-linux-gnu/libc.so.6", out var entry));

        Assert.Equal(0x7f6b78501000UL, entry.Start);
        Assert.Equal(0x7f6b78657000UL, entry.End);
        Assert.True(entry.Executable);
        Assert.Equal(0x26000UL, entry.Offset);
        Assert.Equal((0xfeu, 0u), (entry.DeviceMajor, entry.DeviceMinor));
        Assert.Equal(332096UL, entry.Inode);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", entry.Path);
        Assert.False(entry.Deleted);
        Assert.Equal(MapsEntryKind.File, entry.Kind);
    }

    [Fact]
    public void Paths_keep_their_spaces_and_lose_only_the_deleted_suffix()
    {
        Assert.True(MapsParser.TryParseLine("55d0c0a00000-55d0c0a10000 r-xp 00001000 08:02 1234 /opt/My App/bin/my app (deleted)", out var entry));

        Assert.Equal("/opt/My App/bin/my app", entry.Path);
        Assert.True(entry.Deleted);
        Assert.Equal(MapsEntryKind.File, entry.Kind);
    }

    [Theory]
    [InlineData("7ffd3c5f2000-7ffd3c5f4000 r-xp 00000000 00:00 0                          [vdso]", "[vdso]", nameof(MapsEntryKind.Special))]
    [InlineData("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]", "[vsyscall]", nameof(MapsEntryKind.Special))]
    [InlineData("7f0e2c000000-7f0e2c021000 rw-p 00000000 00:00 0 ", "", nameof(MapsEntryKind.Anonymous))]
    [InlineData("7f0e2c000000-7f0e2c021000 rw-p 00000000 00:00 0", "", nameof(MapsEntryKind.Anonymous))]
    [InlineData("7f5a80000000-7f5a80001000 r-xp 00000000 00:00 0                          [anon:dotnet-jit]", "[anon:dotnet-jit]", nameof(MapsEntryKind.NamedAnonymous))]
    [InlineData("7f5a8c3f0000-7f5a8c400000 r-xs 0ff00000 00:01 4097                       /memfd:doublemapper (deleted)", "/memfd:doublemapper", nameof(MapsEntryKind.Memfd))]
    public void Kernel_named_anonymous_and_memfd_mappings_are_told_apart(string line, string path, string kind)
    {
        Assert.True(MapsParser.TryParseLine(line, out var entry));
        Assert.Equal(path, entry.Path);
        Assert.Equal(kind, entry.Kind.ToString());
    }

    [Fact]
    public void Bad_lines_are_skipped_and_counted_and_the_rest_parsed()
    {
        var text = string.Join("\n",
            "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon",
            "garbage",
            "zz-00452000 r-xp 00000000 08:02 173521 /x",
            "00500000-00400000 r-xp 00000000 08:02 1 /end-before-start",
            "00400000-00452000 r-xp 00000000 0802 1 /no-colon-in-device",
            "",
            "00652000-00655000 rw-p 00052000 08:02 173521      /usr/bin/dbus-daemon");

        var entries = MapsParser.Parse(text, out var skipped);

        Assert.Equal(4, skipped);
        Assert.Equal(2, entries.Count);
        Assert.False(entries[1].Executable);
    }

    [Fact]
    public void The_maps_of_this_process_parse_completely()
    {
        var entries = MapsParser.Parse(File.ReadAllText("/proc/self/maps"), out var skipped);

        Assert.Equal(0, skipped);
        Assert.Contains(entries, e => e.Executable && e.Kind == MapsEntryKind.File && e.Path.Contains("libc.so", StringComparison.Ordinal));
    }
}
