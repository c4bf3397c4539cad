using Collector.Bpf;
using Collector.Core.Model;
using Collector.ProcMaps;
using Collector.Receivers.Ebpf.Unwinding;

namespace Collector.Receivers.Tests.Ebpf.Unwinding;

/// <summary>
/// Origins for stacks the kernel walked with unwind tables: each frame in a published file mapping gets the file's
/// build id and its offset in the file, as the kernel computes it; the rest stay unknown.
/// </summary>
public sealed class ProcessFrameOriginsTests
{
    private static readonly KernelBuildId Program = KernelBuildId.FromBytes([0xaa, 0xbb, 0xcc, 0xdd]);
    private static readonly KernelBuildId Libc = KernelBuildId.FromBytes([0x11, 0x22, 0x33, 0x44, 0x55]);

    [Fact]
    public void Frames_in_file_mappings_get_build_id_and_file_offset_others_stay_unknown()
    {
        var origins = new ProcessFrameOrigins();
        origins.Publish(42, 1_000, Mappings());
        ulong[] frames = [0x7f00_0000_1234, 0x5555_0000_2010, 0x7e00_0000_0000, 0x5555_0000_8000];
        var filled = new UserFrameOrigin[frames.Length];

        Assert.True(origins.TryFill(42, 1_000, frames, filled));

        Assert.Equal(new UserFrameOrigin(Libc, 0x28000 + 0x1234), filled[0]);
        Assert.Equal(new UserFrameOrigin(Program, 0x1000 + (0x2010 - 0x1000)), filled[1]); // file offset of the mapping + distance from its start
        Assert.False(filled[2].IsKnown); // anonymous (JIT) memory
        Assert.False(filled[3].IsKnown); // past the end of the program's text: no mapping holds it
    }

    [Fact]
    public void Another_process_under_a_reused_pid_or_an_unknown_pid_gets_nothing()
    {
        var origins = new ProcessFrameOrigins();
        origins.Publish(42, 1_000, Mappings());
        var filled = new UserFrameOrigin[1];

        Assert.False(origins.TryFill(42, 2_000, [0x5555_0000_2010], filled));
        Assert.False(origins.TryFill(43, 1_000, [0x5555_0000_2010], filled));
        Assert.False(origins.TryFill(42, 1_000, [0x7e00_0000_0000], filled)); // no frame in a file
        Assert.Equal(default, filled[0]);
    }

    [Fact]
    public void Removed_and_republished_processes_answer_with_what_is_current()
    {
        var origins = new ProcessFrameOrigins();
        origins.Publish(42, 1_000, Mappings());
        origins.Remove(42);
        var filled = new UserFrameOrigin[1];
        Assert.False(origins.TryFill(42, 1_000, [0x5555_0000_2010], filled));
        Assert.Equal(0, origins.Count);

        origins.Publish(42, 3_000, Mappings());
        Assert.True(origins.TryFill(42, 3_000, [0x5555_0000_2010], filled));
        Assert.Equal(1, origins.Count);
    }

    [Fact]
    public void Files_without_a_build_id_are_left_to_the_maps_pid_lifecycle_reads()
    {
        var origins = new ProcessFrameOrigins();
        var unnamed = new CachedTable(new TableKey(8, 3, 0), 0, UnwindTableShape.None, 0, null);
        origins.Publish(42, 1_000, [(File(0x5555_0000_1000, 0x5555_0000_3000, 0x1000, "/usr/bin/app", 7), unnamed)]);

        Assert.False(origins.TryFill(42, 1_000, [0x5555_0000_2010], new UserFrameOrigin[1]));
    }

    /// <summary>An unsorted list, as a rescan may give: the program's text, libc's text, and anonymous executable memory.</summary>
    private static List<(MapsEntry, CachedTable?)> Mappings() =>
    [
        (File(0x7f00_0000_0000, 0x7f00_0001_0000, 0x28000, "/usr/lib/x86_64-linux-gnu/libc.so.6", 9), new CachedTable(new TableKey(8, 9, 0), 2, new UnwindTableShape(10, 0, 1, 16), 10, null) { BuildId = Libc }),
        (File(0x5555_0000_1000, 0x5555_0000_3000, 0x1000, "/usr/bin/app", 7), new CachedTable(new TableKey(8, 7, 0), 1, new UnwindTableShape(10, 0, 1, 16), 10, null) { BuildId = Program }),
        (new MapsEntry(0x7e00_0000_0000, 0x7e00_0001_0000, true, 0, 0, 0, 0, "", false), null),
    ];

    private static MapsEntry File(ulong start, ulong end, ulong offset, string path, ulong inode) => new(start, end, true, offset, 8, 1, inode, path, false);
}
