using Collector.Core.Model;
using Collector.Processors.Elf;
using Collector.Processors.PidLifecycle;
using Collector.Processors.Tests.PidLifecycle.Support;
using Microsoft.Extensions.Logging;
using static Collector.Processors.Tests.PidLifecycle.Support.Harness;

namespace Collector.Processors.Tests.PidLifecycle;

/// <summary>The processor driven through a fake /proc and an event stream, with two real executables (copies of /bin/true and /bin/false).</summary>
public sealed class PidLifecycleProcessorTests : IDisposable
{
    private readonly FakeProc _proc = new();
    private readonly string _true;
    private readonly string _false;
    private readonly string _trueBuildId;
    private readonly string _falseBuildId;

    public PidLifecycleProcessorTests()
    {
        _true = _proc.CopyExecutable("/bin/true", "true-app");
        _false = _proc.CopyExecutable("/bin/false", "false app");
        _trueBuildId = BuildIdOf(_true);
        _falseBuildId = BuildIdOf(_false);
        Assert.NotEqual(_trueBuildId, _falseBuildId);
    }

    public void Dispose() => _proc.Dispose();

    [Fact]
    public void Pid_reuse_within_the_watermark_lag_never_attributes_a_sample_to_the_wrong_executable()
    {
        const int pid = 4242;
        const ulong startA = 1_000, startB = 1_500;
        _proc.AddProcess(pid, startA, _true);
        using var harness = new Harness(_proc.Root);

        var batches = new List<ProfileBatch>
        {
            harness.Send([Sample(pid, startA, 100, [0x401234]), Sample(pid, startA, 110, [0x401240])], watermark: 50),
        };
        // A exits and its pid goes to B, another executable, before the watermark has passed A's exit.
        _proc.RemoveProcess(pid);
        _proc.AddProcess(pid, startB, _false);
        batches.Add(harness.Send(
            [Sample(pid, startB, 230, [0x401234]), Sample(pid, startA, 190, [0x401234])],
            [Exit(pid, startA, 200), Fork(pid, 1, startB, 210), Exec(pid, startB, 220, _false)],
            watermark: 150));
        // A's last samples arrive late, after B's; then the watermark passes A's exit.
        batches.Add(harness.Send([Sample(pid, startA, 199, [0x401234]), Sample(pid, startB, 240, [0x401234])], watermark: 300));

        var frames = batches.SelectMany(batch => UserFrames(batch, pid)).ToList();
        Assert.Equal(6, frames.Count);
        foreach (var (ktime, executable, location) in frames)
        {
            var (path, buildId) = ktime < 200 ? (_true, _trueBuildId) : (_false, _falseBuildId);
            Assert.Equal(path, executable);
            Assert.Equal(path, location.Mapping?.Filename);
            Assert.Equal(buildId, BuildId(location.Mapping));
        }
        Assert.Equal(6, harness.Statistics.MappedFrames);
        Assert.Equal(1, harness.Statistics.Forgotten);
        Assert.Equal(1, harness.Processor.TrackedCount);
        Assert.Equal(1, harness.Processor.HeldFileCount);
    }

    [Fact]
    public void A_process_first_sampled_after_its_pid_was_reused_is_not_read_from_the_new_owner()
    {
        const int pid = 4243;
        _proc.AddProcess(pid, startTicks: 1_600, _false);
        using var harness = new Harness(_proc.Root);

        var batch = harness.Send([Sample(pid, startTicks: 900, 100, [0x401234])]);

        var (_, executable, location) = Assert.Single(UserFrames(batch, pid));
        Assert.Null(executable);
        Assert.Null(location.Mapping);
        Assert.Equal(0x401234UL, location.Address);
        Assert.Equal(1, harness.Statistics.UnmappedFrames);
        Assert.Equal(0, harness.Processor.TrackedCount);
    }

    [Fact]
    public void A_frame_whose_kernel_build_id_disagrees_with_the_mapping_follows_the_kernel()
    {
        // /proc already shows the image after an exec we have not seen yet; the kernel's build id tells.
        const int pid = 4244;
        _proc.AddProcess(pid, 1_000, _false);
        _proc.AddProcess(4245, 1_000, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(4245, 1_000, 10, [0x401000])]);

        var origin = new UserFrameOrigin(KernelBuildId.FromBytes(Convert.FromHexString(_trueBuildId)), 0x1234);
        var batch = harness.Send([Sample(pid, 1_000, 100, [0x7f0000001234], origins: [origin])]);

        var (_, _, location) = Assert.Single(UserFrames(batch, pid));
        Assert.Equal(_trueBuildId, BuildId(location.Mapping));
        Assert.Equal(_true, location.Mapping!.Filename);
        Assert.Equal(1, harness.Statistics.OriginOnlyFrames);
    }

    [Fact]
    public void An_exec_keeps_the_old_image_for_earlier_samples_until_the_watermark_passes_it()
    {
        const int pid = 500;
        _proc.AddProcess(pid, 2_000, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(pid, 2_000, 100, [0x401000])]);
        Assert.Equal(1, harness.Processor.HeldFileCount);

        _proc.AddProcess(pid, 2_000, _false);
        var batch = harness.Send(
            [Sample(pid, 2_000, 310, [0x401000]), Sample(pid, 2_000, 290, [0x401000])],
            [Exec(pid, 2_000, 300, _false)],
            watermark: 250);
        Assert.Equal(2, harness.Processor.HeldFileCount);
        var late = harness.Send([Sample(pid, 2_000, 299, [0x401000])], watermark: 301);

        foreach (var (ktime, executable, location) in UserFrames(batch, pid).Concat(UserFrames(late, pid)))
        {
            Assert.Equal(ktime < 300 ? _trueBuildId : _falseBuildId, BuildId(location.Mapping));
            Assert.Equal(ktime < 300 ? _true : _false, executable);
        }
        Assert.Equal(2, batch.ResourceProfiles.Count);
        Assert.Equal(1, harness.Processor.HeldFileCount);
        Assert.Equal(1, harness.Processor.TrackedCount);
    }

    [Fact]
    public void Exits_of_processes_without_state_are_counted_no_ops_and_never_logged_as_problems()
    {
        _proc.AddProcess(7, 70, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(7, 70, 5, [0x401000])]);

        var exits = Enumerable.Range(10_000, 1_000).Select(pid => Exit(pid, (ulong)pid, 10)).Append(Exit(7, 70, 11)).Append(Exit(7, 70, 12));
        harness.Send([], [.. exits], watermark: 5);

        Assert.Equal(1_001, harness.Statistics.MissingState);
        Assert.Equal(1, harness.Statistics.Transitions(ProcessState.Live, ProcessState.Exited));
        Assert.Empty(harness.Logs.AtLeast(LogLevel.Warning));

        harness.Send([], watermark: 20);
        Assert.Equal(0, harness.Processor.TrackedCount);
        Assert.Equal(0, harness.Processor.Inspect(table => table.CountIn(ProcessState.Exited)));
    }

    [Fact]
    public void A_process_learned_after_its_exit_was_seen_starts_exited_and_is_forgotten_at_the_watermark()
    {
        // The exit arrived first (the process had no state), a late sample finds it still in /proc (a zombie).
        _proc.AddProcess(8, 80, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([], [Exit(8, 80, 50)], watermark: 10);
        harness.Send([Sample(8, 80, 45, [0x401000])], watermark: 40);
        Assert.Equal(1, harness.Processor.Inspect(table => table.CountIn(ProcessState.Exited)));

        harness.Send([], watermark: 60);

        Assert.Equal(0, harness.Processor.TrackedCount);
        Assert.Equal(0, harness.Processor.HeldFileCount);
    }

    [Fact]
    public void A_live_process_gone_from_proc_without_an_exit_event_is_forgotten_after_the_next_sweep()
    {
        _proc.AddProcess(16, 160, _true);
        _proc.AddProcess(17, 170, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(16, 160, 10, [0x401000]), Sample(17, 170, 10, [0x401000])], watermark: 5);
        _proc.RemoveProcess(16);
        // Its exit record was lost; pid 17 was reused by another process.
        _proc.AddProcess(17, 175, _false);

        harness.Send([], watermark: 20);
        Assert.Equal(2, harness.Processor.TrackedCount);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        harness.Send([], watermark: 30);
        Assert.Equal(2, harness.Processor.Inspect(table => table.CountIn(ProcessState.Exited)));
        harness.Send([], watermark: 31);

        Assert.Equal(0, harness.Processor.TrackedCount);
        Assert.Equal(2, harness.Statistics.LostExits);
        Assert.Equal(0, harness.Processor.HeldFileCount);
    }

    [Fact]
    public void At_the_cap_exited_processes_go_first_then_the_least_recently_sampled_counted_and_logged_once()
    {
        for (var pid = 1; pid <= 5; pid++) _proc.AddProcess(pid, (ulong)pid * 10, _true);
        using var harness = new Harness(_proc.Root, maxProcesses: 3);
        harness.Send([Sample(1, 10, 10, [0x401000]), Sample(2, 20, 20, [0x401000]), Sample(3, 30, 30, [0x401000])]);
        harness.Send([Sample(1, 10, 36, [0x401000])], [Exit(2, 20, 35)]);

        harness.Send([Sample(4, 40, 40, [0x401000])]);
        Assert.Null(harness.Processor.Inspect(table => table.Find(new ProcessKey(2, 20))));
        Assert.NotNull(harness.Processor.Inspect(table => table.Find(new ProcessKey(1, 10))));

        harness.Send([Sample(5, 50, 50, [0x401000])]);
        Assert.Null(harness.Processor.Inspect(table => table.Find(new ProcessKey(3, 30))));

        Assert.Equal(2, harness.Statistics.Evictions);
        Assert.Equal(3, harness.Processor.TrackedCount);
        Assert.Equal(1, harness.Statistics.Transitions(ProcessState.Exited, ProcessState.Forgotten));
        Assert.Equal(1, harness.Statistics.Transitions(ProcessState.Live, ProcessState.Forgotten));
        var warning = Assert.Single(harness.Logs.AtLeast(LogLevel.Warning));
        Assert.Contains("max_processes", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Churn_of_short_lived_processes_returns_the_table_and_held_files_to_baseline_once_the_watermark_passes()
    {
        const int parent = 10, rounds = 80;
        _proc.AddProcess(parent, 100, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(parent, 100, 1, [0x401000])]);
        var (baselineProcesses, baselineFiles) = (harness.Processor.TrackedCount, harness.Processor.HeldFileCount);

        var named = 0;
        for (var round = 0; round < rounds; round++)
        {
            var samples = new List<RawSample>();
            var events = new List<ProcessEvent>();
            for (var i = 0; i < 25; i++)
            {
                var pid = 1_000 + (round * 25) + i;
                var start = 200 + (ulong)pid;
                var t = 1_000 + ((ulong)pid * 10);
                _proc.AddProcess(pid, start, _false);
                events.Add(Fork(pid, parent, start, t));
                events.Add(Exec(pid, start, t + 1, _false));
                events.Add(Exit(pid, start, t + 5));
                samples.Add(Sample(pid, start, t + 3, [0x401000]));
            }
            // The watermark trails by one round, as a lagging receiver's would.
            var batch = harness.Send(samples, events, watermark: 1_000 + ((ulong)(1_000 + (round * 25)) * 10));
            named += batch.ResourceProfiles.SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).SelectMany(p => p.Samples)
                .Count(s => s.Stack.Locations.All(l => BuildId(l.Mapping) == _falseBuildId));
            for (var i = 0; i < 25; i++) _proc.RemoveProcess(1_000 + (round * 25) + i);
        }
        harness.Send([], watermark: ulong.MaxValue);

        Assert.Equal(rounds * 25, named);
        Assert.Equal(rounds * 25, harness.Statistics.Forgotten);
        Assert.Equal(0, harness.Statistics.MissingState);
        Assert.Equal(baselineProcesses, harness.Processor.TrackedCount);
        Assert.Equal(baselineFiles, harness.Processor.HeldFileCount);
        Assert.Empty(harness.Logs.AtLeast(LogLevel.Warning));
    }

    [Fact]
    public void One_handle_per_file_identity_is_shared_across_processes_and_its_build_id_read_once()
    {
        _proc.AddProcess(31, 310, _true);
        _proc.AddProcess(32, 320, _true);
        using var harness = new Harness(_proc.Root);

        var batch = harness.Send([Sample(31, 310, 10, [0x401000]), Sample(32, 320, 10, [0x401000])], [Exit(31, 310, 11), Exit(32, 320, 12)], watermark: 5);
        Assert.Equal(1, harness.Processor.HeldFileCount);
        Assert.Single(batch.Executables);
        harness.Send([], watermark: 20);
        Assert.Equal(0, harness.Processor.HeldFileCount);

        // Mapped again after it was closed: reopened, but its build id comes from the (device, inode, size, mtime) cache.
        _proc.AddProcess(33, 330, _true);
        var again = harness.Send([Sample(33, 330, 30, [0x401000])]);
        Assert.Equal(_trueBuildId, BuildId(Assert.Single(UserFrames(again, 33)).Location.Mapping));
        Assert.Equal(1L, harness.Processor.Inspect(table => table.Files.BuildIdReads));
    }

    [Fact]
    public void Mapped_files_stay_readable_after_exit_and_deletion_until_the_watermark_forgets_them()
    {
        var doomed = _proc.CopyExecutable("/bin/true", "doomed");
        _proc.AddProcess(9, 90, doomed);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(9, 90, 10, [0x401000])]);
        _proc.RemoveProcess(9);
        File.Delete(doomed);

        ExecutableFile? held = null;
        harness.Downstream.OnBatch = batch =>
        {
            held = batch.Executables[_trueBuildId];
            using var handle = held.Open();
            Assert.NotNull(handle);
            var magic = new byte[4];
            RandomAccess.Read(handle, magic, 0);
            Assert.Equal("\u007fELF"u8.ToArray(), magic);
            return ValueTask.CompletedTask;
        };
        harness.Send([Sample(9, 90, 20, [0x401000])], [Exit(9, 90, 30)], watermark: 25);
        harness.Downstream.OnBatch = null;
        Assert.Equal(doomed, held!.Path);

        harness.Send([], watermark: 31);
        Assert.Null(held.Open());
        Assert.Equal(0, harness.Processor.HeldFileCount);
    }

    [Fact]
    public void An_address_in_no_mapping_rescans_the_maps_at_most_once_per_interval()
    {
        _proc.AddProcess(11, 110, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([Sample(11, 110, 10, [0x401000])]);
        _proc.SetMaps(11, FakeProc.MapsLine(0x400000, 0x500000, "r-xp", 0x1000, _true), FakeProc.MapsLine(0x600000, 0x601000, "r-xp", 0, _false));

        var tooSoon = harness.Send([Sample(11, 110, 20, [0x600100])]);
        Assert.Null(Assert.Single(UserFrames(tooSoon, 11)).Location.Mapping);
        Assert.Equal(0, harness.Statistics.Rescans);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var rescanned = harness.Send([Sample(11, 110, 30, [0x600100]), Sample(11, 110, 31, [0x700000]), Sample(11, 110, 32, [0x700010])]);

        Assert.Equal(1, harness.Statistics.Rescans);
        var frames = UserFrames(rescanned, 11).OrderBy(f => f.Ktime).ToList();
        Assert.Equal(_falseBuildId, BuildId(frames[0].Location.Mapping));
        Assert.Null(frames[1].Location.Mapping);
        Assert.Null(frames[2].Location.Mapping);
    }

    [Fact]
    public void Maps_read_at_exec_are_rescanned_at_the_first_miss_because_the_loader_maps_libraries_next()
    {
        _proc.AddProcess(14, 140, _true);
        using var harness = new Harness(_proc.Root);
        harness.Send([], [Exec(14, 140, 5, _true)]);
        _proc.SetMaps(14, FakeProc.MapsLine(0x400000, 0x500000, "r-xp", 0x1000, _true), FakeProc.MapsLine(0x600000, 0x601000, "r-xp", 0, _false));

        var batch = harness.Send([Sample(14, 140, 10, [0x600100]), Sample(14, 140, 11, [0x700000])]);

        var frames = UserFrames(batch, 14).OrderBy(f => f.Ktime).ToList();
        Assert.Equal(_falseBuildId, BuildId(frames[0].Location.Mapping));
        Assert.Null(frames[1].Location.Mapping);
        Assert.Equal(1, harness.Statistics.Rescans);
    }

    [Fact]
    public void Device_mappings_are_never_opened()
    {
        _proc.AddProcess(15, 150, _true, extraMaps: ["7f0000000000-7f0000001000 r-xs 00000000 00:06 5 /dev/zero"]);
        using var harness = new Harness(_proc.Root);

        var batch = harness.Send([Sample(15, 150, 10, [0x7f0000000010])]);

        var (_, _, location) = Assert.Single(UserFrames(batch, 15));
        Assert.Equal("/dev/zero", location.Mapping!.Filename);
        Assert.Empty(location.Mapping.Attributes);
        Assert.Equal(1, harness.Processor.HeldFileCount);
    }

    [Fact]
    public void Frames_of_a_gone_process_are_placed_by_the_kernel_build_id_and_file_offset()
    {
        using var harness = new Harness(_proc.Root);
        // A process gone before its maps could be read: its exec's file name still identifies the executable.
        harness.Send([], [Exec(77, 5, 10, _true)]);
        var known = new UserFrameOrigin(KernelBuildId.FromBytes(Convert.FromHexString(_trueBuildId)), 0x1234);
        var unknownId = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var unknown = new UserFrameOrigin(KernelBuildId.FromBytes(unknownId), 0x40);

        var batch = harness.Send([Sample(78, 6, 20, [0x7f0000001234, 0x7f1000000040, 0x7f2000000000], origins: [known, unknown, default])]);

        var frames = UserFrames(batch, 78).Select(f => f.Location).ToList();
        var size = (ulong)new FileInfo(_true).Length;
        var first = frames[0].Mapping!;
        Assert.Equal((0x7f0000000000UL, 0x7f0000000000UL + size, 0UL, _true, _trueBuildId), (first.MemoryStart, first.MemoryLimit, first.FileOffset, first.Filename, BuildId(first)));
        Assert.NotNull(batch.Executables[_trueBuildId].Open());
        var second = frames[1].Mapping!;
        Assert.Equal((0x7f1000000000UL, 0x7f1000000041UL, 0UL, "", Convert.ToHexStringLower(unknownId)), (second.MemoryStart, second.MemoryLimit, second.FileOffset, second.Filename, BuildId(second)));
        Assert.Null(frames[2].Mapping);
        Assert.All(frames, frame => Assert.Equal(SemanticConventions.FrameTypeNative, FrameType(frame)));
        Assert.Equal((2L, 1L), (harness.Statistics.OriginOnlyFrames, harness.Statistics.UnmappedFrames));
    }

    [Fact]
    public void A_build_id_no_known_file_has_is_looked_for_in_live_processes_maps_at_most_every_ten_seconds()
    {
        // Churn: a short-lived process's libraries were never seen (its maps could not be read), but a live
        // process (its parent, or the collector) maps the same files.
        using var harness = new Harness(_proc.Root);
        _proc.AddProcess(90, 3, _true, comm: "parent");
        var trueOrigin = new UserFrameOrigin(KernelBuildId.FromBytes(Convert.FromHexString(_trueBuildId)), 0x1234);
        var falseOrigin = new UserFrameOrigin(KernelBuildId.FromBytes(Convert.FromHexString(_falseBuildId)), 0x1234);

        var first = harness.Send([Sample(78, 6, 20, [0x7f0000001234], origins: [trueOrigin])]);
        _proc.AddProcess(91, 4, _false, comm: "sibling");
        var second = harness.Send([Sample(79, 7, 30, [0x7f0000001234], origins: [falseOrigin])]);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var third = harness.Send([Sample(80, 8, 40, [0x7f0000001234], origins: [falseOrigin])]);

        Assert.Equal((_true, _trueBuildId), (UserFrames(first, 78).Single().Location.Mapping!.Filename, BuildId(UserFrames(first, 78).Single().Location.Mapping)));
        Assert.Equal("", UserFrames(second, 79).Single().Location.Mapping!.Filename);
        Assert.Equal(_false, UserFrames(third, 80).Single().Location.Mapping!.Filename);
        Assert.Equal(2, harness.Statistics.BuildIdScans);
        // Learning by path holds nothing open: the symbolizer opens the path and checks the build id itself.
        Assert.Equal(0, harness.Processor.HeldFileCount);
        // Each file was read once by the scans, and a process later learned from its maps reuses that reading.
        Assert.Equal(2L, harness.Processor.Inspect(table => table.Files.BuildIdReads));
        harness.Send([Sample(90, 3, 50, [0x400040])]);
        Assert.Equal(1, harness.Processor.HeldFileCount);
        Assert.Equal(2L, harness.Processor.Inspect(table => table.Files.BuildIdReads));
    }

    [Fact]
    public void Resources_and_frames_follow_the_processors_contract()
    {
        const string container = "3f1a6c0a9e8d7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080";
        _proc.AddProcess(12, 120, _true, cgroup: $"0::/system.slice/docker-{container}.scope\n");
        using var harness = new Harness(_proc.Root);

        var batch = harness.Send([Sample(12, 120, 10, [0x401234, 0x402000], kernel: [0xffffffff81000010])]);

        Assert.Null(batch.Raw);
        var resource = Assert.Single(batch.ResourceProfiles);
        Assert.Equal(
            [$"process.pid=12", "process.executable.name=true-app", $"process.executable.path={_true}", $"container.id={container}"],
            resource.Resource!.Attributes.Select(a => a.ToString()));
        Assert.Equal("collector", Assert.Single(resource.ScopeProfiles).Scope!.Name);
        var profile = Assert.Single(resource.ScopeProfiles[0].Profiles);
        Assert.Equal((Core.Model.ValueType.Samples, Core.Model.ValueType.CpuNanoseconds), (profile.SampleType, profile.PeriodType));
        var sample = Assert.Single(profile.Samples);
        Assert.Equal(["thread.id=12", "thread.name=worker"], sample.Attributes.Select(a => a.ToString()));
        Assert.Equal([BootTimeUnixNano + 10], sample.TimestampsUnixNano);

        var kernel = sample.Stack.Locations[0];
        Assert.Equal((null, 0xffffffff81000010UL, "kernel"), (kernel.Mapping, kernel.Address, FrameType(kernel)));
        var user = sample.Stack.Locations[1];
        var mapping = user.Mapping!;
        Assert.Equal((0x400000UL, 0x500000UL, 0x1000UL, _true), (mapping.MemoryStart, mapping.MemoryLimit, mapping.FileOffset, mapping.Filename));
        Assert.Equal([$"{SemanticConventions.BuildIdGnu}={_trueBuildId}"], mapping.Attributes.Select(a => a.ToString()));
        Assert.Equal((0x401234UL, "native"), (user.Address, FrameType(user)));
        Assert.Equal(0x2234UL, user.Address - mapping.MemoryStart + mapping.FileOffset);
        Assert.Same(mapping, sample.Stack.Locations[2].Mapping);
        Assert.Equal(_true, batch.Executables[ExecutableFile.KeyOf(mapping)!].Path);
    }

    [Fact]
    public void Anonymous_executable_memory_of_a_recognised_runtime_gets_its_frame_type()
    {
        var coreclr = _proc.CopyExecutable("/bin/true", "libcoreclr.so");
        _proc.AddProcess(13, 130, "dotnet", _true,
        [
            FakeProc.MapsLine(0x400000, 0x500000, "r-xp", 0x1000, _true),
            FakeProc.MapsLine(0x7f0000000000, 0x7f0000100000, "r-xp", 0, coreclr),
            "7f5a8c3f0000-7f5a8c400000 r-xs 0ff00000 00:01 4097                       /memfd:doublemapper (deleted)",
            "7f5a90000000-7f5a90010000 r-xp 00000000 00:00 0 ",
        ]);
        using var harness = new Harness(_proc.Root);

        var batch = harness.Send([Sample(13, 130, 10, [0x7f5a8c3f0010, 0x7f5a90000010, 0x401000])]);

        var frames = UserFrames(batch, 13).Select(f => f.Location).ToList();
        Assert.Equal(["dotnet", "dotnet", "native"], frames.Select(FrameType));
        Assert.Equal(("/memfd:doublemapper", ""), (frames[0].Mapping!.Filename, frames[1].Mapping!.Filename));
        Assert.Empty(frames[0].Mapping!.Attributes);
    }

    [Fact]
    public async Task Batches_without_raw_samples_pass_through_with_their_events_and_watermark()
    {
        using var harness = new Harness(_proc.Root);
        var resource = new ResourceProfiles { Resource = new Resource { Attributes = [KeyValue.Of("service.name", "gateway")] } };
        var batch = new ProfileBatch { ResourceProfiles = [resource], ProcessEvents = [Exit(1, 1, 1)], WatermarkKtimeNanos = 5 };

        await harness.Processor.ConsumeAsync(batch, CancellationToken.None);

        var passed = Assert.Single(harness.Downstream.Batches);
        Assert.Same(batch, passed);
        Assert.Same(resource, Assert.Single(passed.ResourceProfiles));
        Assert.Single(passed.ProcessEvents);
        Assert.Equal(5UL, passed.WatermarkKtimeNanos);
        Assert.Null(passed.Raw);
    }

    private static string BuildIdOf(string path)
    {
        using var elf = ElfFile.Open(path);
        return elf.GnuBuildIdHex!;
    }
}
