using Collector.Core.Model;
using Collector.Processors.Symbolization;
using Collector.Processors.Symbolization.Kernel;
using Collector.Processors.Tests.Symbolization.Kernel;
using static Collector.Processors.Tests.Symbolization.Batches;

namespace Collector.Processors.Tests.Symbolization;

public sealed class SymbolizationProcessorTests : IDisposable
{
    private readonly SymbolizerSandbox _sandbox = new();
    private readonly CapturingConsumer _next = new();
    private readonly List<SymbolizationProcessor> _processors = [];

    [Fact]
    public async Task Native_frames_get_the_names_nm_prints_and_keep_mapping_build_id_and_address()
    {
        var workload = NativeWorkload.Build(_sandbox.Root);
        var processor = Processor();
        var batch = Of(Process(100, Stack(workload.Frame("leaf_hot"), workload.Frame("mid"), workload.Frame("main"))));
        batch.Executables[workload.BuildId] = new PathExecutable(workload.Path, workload.Path);

        await processor.ConsumeAsync(batch, default);

        var stack = Assert.Single(Samples(_next.Batches[0])).Stack;
        Assert.Equal(["leaf_hot", "mid", "main"], stack.Locations.Select(Name));
        foreach (var location in stack.Locations)
        {
            Assert.Equal(workload.Path, location.Mapping!.Filename);
            Assert.Equal(workload.BuildId, BuildId(location.Mapping));
            var line = Assert.Single(location.Lines);
            Assert.Equal(line.Function!.Name, line.Function.SystemName);
            Assert.Equal("", line.Function.Filename);
            Assert.Contains(location.Attributes, a => a.Value?.StringValue == SemanticConventions.FrameTypeNative);
        }
        Assert.Equal(workload.Address("leaf_hot"), stack.Locations[0].Address);
        Assert.Equal(3, processor.Telemetry.ResolvedCounts[(int)SymbolSource.Elf]);
    }

    [Fact]
    public async Task Cxx_frames_are_named_as_nm_demangles_them_with_the_mangled_name_as_system_name()
    {
        ExternalTools.Require("g++", "g++");
        ExternalTools.Require("nm", "binutils");
        var source = Path.Combine(_sandbox.Root, "work.cpp");
        var binary = Path.Combine(_sandbox.Root, "work");
        File.WriteAllText(source, "namespace app { template <typename T> struct Box { __attribute__((noinline)) T twice(T x) { return x + x; } }; }\n" +
            "int main(int argc, char**) { app::Box<long> box; return (int)box.twice(argc); }\n");
        Assert.Equal(0, ExternalTools.Run("g++", ["-O1", "-Wl,--build-id", "-o", binary, source], null).ExitCode);
        var raw = ExternalTools.Run("nm", ["--defined-only", binary], null).Output.Split('\n')
            .Select(l => l.Split(' ')).First(f => f.Length == 3 && f[2].Contains("twice", StringComparison.Ordinal));
        var demangled = ExternalTools.Run("nm", ["--defined-only", "-C", binary], null).Output.Split('\n')
            .First(l => l.StartsWith(raw[0], StringComparison.Ordinal) && l.Contains("twice", StringComparison.Ordinal))[(raw[0].Length + 3)..];
        using var elf = Collector.Processors.Elf.ElfFile.Open(binary);
        var buildId = elf.GnuBuildIdHex!;
        var address = ulong.Parse(raw[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        // The whole file mapped from offset 0 at 0x10000: an address's place in the process is its file offset past that.
        Assert.True(elf.TryVirtualAddressToFileOffset(address, out var fileOffset));
        var mapping = new Mapping(0x10000, 0x10000 + (ulong)new FileInfo(binary).Length, 0, binary, [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, buildId)]);
        var processor = Processor();
        var batch = Of(Process(1, Stack(new Location(mapping, 0x10000 + fileOffset + 1))));

        await processor.ConsumeAsync(batch, default);

        var function = Assert.Single(Assert.Single(Assert.Single(Samples(batch)).Stack.Locations).Lines).Function!;
        Assert.Equal(demangled, function.Name);
        Assert.Equal(raw[2], function.SystemName);
        Assert.NotEqual(function.Name, function.SystemName);
    }

    [Fact]
    public async Task Libc_frames_are_named_from_its_dynamic_symbols_through_the_mapped_path()
    {
        const string libc = "/lib/x86_64-linux-gnu/libc.so.6";
        ExternalTools.Require(File.Exists(libc), $"{libc} does not exist (not an x86-64 Debian system)");
        ExternalTools.Require("nm", "binutils");
        // Every name nm -D gives the address of malloc: any alias there is a right answer.
        var dynamic = ExternalTools.Run("nm", ["-D", "--defined-only", libc], null).Output.Split('\n')
            .Select(l => l.Split(' ')).Where(f => f.Length == 3 && f[1] is "T" or "t" or "i").ToList();
        var address = dynamic.First(f => f[2].StartsWith("malloc@", StringComparison.Ordinal) || f[2] == "malloc")[0];
        var names = dynamic.Where(f => f[0] == address).Select(f => f[2].Split('@')[0]).ToHashSet();
        using var elf = Collector.Processors.Elf.ElfFile.Open(libc);
        Assert.True(elf.TryVirtualAddressToFileOffset(ulong.Parse(address, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture), out var fileOffset));
        var mapping = new Mapping(0x7f00_0000_0000, 0x7f00_0100_0000, 0, libc, [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, elf.GnuBuildIdHex!)]);
        var processor = Processor();
        var batch = Of(Process(1, Stack(new Location(mapping, mapping.MemoryStart + fileOffset + 4))));

        await processor.ConsumeAsync(batch, default);

        var name = Name(Assert.Single(Assert.Single(Samples(batch)).Stack.Locations));
        Assert.Contains(name!, names);
    }

    [Fact]
    public async Task The_file_in_the_batch_is_read_even_when_its_path_no_longer_leads_to_it()
    {
        var workload = NativeWorkload.Build(_sandbox.Root);
        var processor = Processor();
        var gone = new Mapping(workload.Mapping.MemoryStart, workload.Mapping.MemoryLimit, workload.Mapping.FileOffset, "/gone/workload", workload.Mapping.Attributes);
        var batch = Of(Process(100, Stack(workload.Frame("leaf_cold", gone))));
        batch.Executables[workload.BuildId] = new PathExecutable("/gone/workload", workload.Path);

        await processor.ConsumeAsync(batch, default);

        var location = Assert.Single(Assert.Single(Samples(_next.Batches[0])).Stack.Locations);
        Assert.Equal("leaf_cold", Name(location));
        Assert.Equal("/gone/workload", location.Mapping!.Filename);
    }

    [Fact]
    public async Task A_frame_known_only_by_build_id_and_file_offset_is_named_from_the_file_in_the_batch()
    {
        var workload = NativeWorkload.Build(_sandbox.Root);
        var processor = Processor();
        // As pid_lifecycle emits a frame from the kernel's build-id stack of a process it never saw: no path.
        var fileOffset = workload.Functions["leaf_hot"] + 1 - workload.SegmentVirtualAddress + workload.SegmentOffset;
        const ulong address = 0x7f12_3456_7000;
        var mapping = new Mapping(address - fileOffset, address - fileOffset + 0x10000, 0, "", workload.Mapping.Attributes);
        var frame = new Location(mapping, address, attributes: [KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeNative)]);
        var batch = Of(Process(100, Stack(frame)));
        batch.Executables[workload.BuildId] = new PathExecutable(workload.Path, workload.Path);

        await processor.ConsumeAsync(batch, default);

        var location = Assert.Single(Assert.Single(Samples(batch)).Stack.Locations);
        Assert.Equal("leaf_hot", Name(location));
        Assert.Equal("", location.Mapping!.Filename);
    }

    [Fact]
    public async Task Without_the_file_in_the_batch_the_mapped_path_is_used_when_its_build_id_matches()
    {
        var workload = NativeWorkload.Build(_sandbox.Root);
        var other = NativeWorkload.Build(_sandbox.Root, variant: 2, name: "other");
        var processor = Processor();
        // Same path, but the build id of another binary: the file there is not the one that was mapped.
        var replaced = new Mapping(workload.Mapping.MemoryStart, workload.Mapping.MemoryLimit, workload.Mapping.FileOffset, workload.Path,
            [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, other.BuildId)]);
        var unnamed = workload.Frame("mid", replaced);
        await processor.ConsumeAsync(Of(Process(100, Stack(workload.Frame("mid"), unnamed))), default);

        var locations = Assert.Single(Samples(_next.Batches[0])).Stack.Locations;
        Assert.Equal("mid", Name(locations[0]));
        Assert.Same(unnamed, locations[1]);
        Assert.Equal(other.BuildId, BuildId(locations[1].Mapping));
        Assert.Equal(workload.Address("mid"), locations[1].Address);
        Assert.Equal(1, processor.Telemetry.UnresolvedCounts[(int)UnresolvedReason.FileUnavailable]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stripped_binary_is_named_from_its_debug_file_found_by_build_id(bool fileInBatch)
    {
        // Without the file in the batch the binary is found by its path (like the loader of a process that
        // exited under churn); either way its program headers, not the debug file's, place the frame.
        var workload = NativeWorkload.Build(_sandbox.Root);
        ExternalTools.Require("objcopy", "binutils");
        var hex = workload.BuildId;
        var debugFile = Path.Combine(_sandbox.Root, "debug", ".build-id", hex[..2], hex[2..] + ".debug");
        Directory.CreateDirectory(Path.GetDirectoryName(debugFile)!);
        Assert.Equal(0, ExternalTools.Run("objcopy", ["--only-keep-debug", workload.Path, debugFile], null).ExitCode);
        Assert.Equal(0, ExternalTools.Run("strip", ["--strip-all", workload.Path], null).ExitCode);
        var processor = Processor();
        var batch = Of(Process(100, Stack(workload.Frame("leaf_hot"), workload.Frame("mid"), workload.Frame("main"))));
        if (fileInBatch) batch.Executables[workload.BuildId] = new PathExecutable(workload.Path, workload.Path);

        await processor.ConsumeAsync(batch, default);

        Assert.Equal(["leaf_hot", "mid", "main"], Assert.Single(Samples(_next.Batches[0])).Stack.Locations.Select(Name));
    }

    [Fact]
    public async Task A_file_not_found_by_build_id_alone_is_read_as_soon_as_a_later_frame_names_its_path()
    {
        // Process churn: the first frames of a new executable come from processes gone before their maps were
        // read, so pid_lifecycle knows only the kernel's build id (no path). The next batch knows the path; its
        // frames must be named then, not once the retry interval for a missing file has passed.
        var workload = NativeWorkload.Build(_sandbox.Root);
        var processor = Processor();
        var unplaced = new Mapping(workload.Mapping.MemoryStart, workload.Mapping.MemoryLimit, workload.Mapping.FileOffset, "", workload.Mapping.Attributes);

        await processor.ConsumeAsync(Of(Process(100, Stack(workload.Frame("leaf_hot", unplaced)))), default);
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        await processor.ConsumeAsync(Of(Process(101, Stack(workload.Frame("leaf_hot")))), default);
        // Same again, but the second batch brings the open file instead of a path.
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        var held = Of(Process(102, Stack(workload.Frame("leaf_cold", unplaced))));
        held.Executables[workload.BuildId] = new PathExecutable(workload.Path, workload.Path);
        await processor.ConsumeAsync(held, default);

        Assert.Null(Name(Assert.Single(Assert.Single(Samples(_next.Batches[0])).Stack.Locations)));
        Assert.Equal("leaf_hot", Name(Assert.Single(Assert.Single(Samples(_next.Batches[1])).Stack.Locations)));
        Assert.Equal("leaf_cold", Name(Assert.Single(Assert.Single(Samples(_next.Batches[2])).Stack.Locations)));
    }

    [Fact]
    public async Task A_file_still_missing_is_not_looked_for_again_before_the_retry_interval()
    {
        var workload = NativeWorkload.Build(_sandbox.Root);
        var processor = Processor();
        var unplaced = new Mapping(workload.Mapping.MemoryStart, workload.Mapping.MemoryLimit, workload.Mapping.FileOffset, "", workload.Mapping.Attributes);
        var moved = Path.Combine(_sandbox.Root, "gone");
        var elsewhere = new Mapping(workload.Mapping.MemoryStart, workload.Mapping.MemoryLimit, workload.Mapping.FileOffset, moved, workload.Mapping.Attributes);

        // No path, then a path that does not exist: each source tried once, then nothing until the interval.
        for (var i = 0; i < 3; i++) await processor.ConsumeAsync(Of(Process(100, Stack(workload.Frame("leaf_hot", unplaced)))), default);
        for (var i = 0; i < 3; i++) await processor.ConsumeAsync(Of(Process(100, Stack(workload.Frame("leaf_hot", elsewhere)))), default);
        File.Copy(workload.Path, moved);
        await processor.ConsumeAsync(Of(Process(100, Stack(workload.Frame("leaf_hot", elsewhere)))), default);
        Assert.Null(Name(Assert.Single(Assert.Single(Samples(_next.Batches[^1])).Stack.Locations)));

        _sandbox.Clock.Advance(SymbolizerEnvironment.DefaultRereadInterval);
        await processor.ConsumeAsync(Of(Process(100, Stack(workload.Frame("leaf_hot", elsewhere)))), default);
        Assert.Equal("leaf_hot", Name(Assert.Single(Assert.Single(Samples(_next.Batches[^1])).Stack.Locations)));
        Assert.Equal(1, processor.Symbolizer.Elf.Parses);
    }

    [Fact]
    public async Task A_bad_elf_file_is_counted_once_and_not_parsed_again_every_batch()
    {
        var processor = Processor();
        var bogus = Path.Combine(_sandbox.Root, "bogus");
        File.WriteAllBytes(bogus, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0]);
        var mapping = new Mapping(0x400000, 0x500000, 0, bogus, [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, "00112233445566778899aabbccddeeff00112233")]);
        var frame = new Location(mapping, 0x401000, attributes: [KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeNative)]);
        for (var i = 0; i < 3; i++)
        {
            var batch = Of(Process(100, Stack(frame)));
            batch.Executables["00112233445566778899aabbccddeeff00112233"] = new PathExecutable(bogus, bogus);
            await processor.ConsumeAsync(batch, default);
            Assert.Same(frame, Assert.Single(Assert.Single(Samples(batch)).Stack.Locations));
            _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(1, processor.Symbolizer.Elf.Parses);
        Assert.Equal(1, processor.Telemetry.FailureCounts["elf_invalid"]);
        Assert.Equal(3, processor.Telemetry.UnresolvedCounts[(int)UnresolvedReason.FileUnreadable]);
    }

    [Fact]
    public async Task Kernel_frames_are_named_from_kallsyms_with_the_module_as_mapping_file()
    {
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        var processor = Processor();
        await processor.ConsumeAsync(Of(Process(100, Stack(KernelFrame(0xffffffffc0001010), KernelFrame(0xffffffff81001010)))), default);

        var locations = Assert.Single(Samples(_next.Batches[0])).Stack.Locations;
        Assert.Equal(["e1000_xmit", "do_syscall_64"], locations.Select(Name));
        Assert.Equal(["e1000", KernelSymbolTable.CoreKernelFile], locations.Select(l => l.Mapping!.Filename));
        Assert.All(locations, l => Assert.Equal(KernelType, Assert.Single(l.Attributes)));
        Assert.Equal(0xffffffffc0001010, locations[0].Address);
    }

    [Fact]
    public async Task Raw_samples_converted_without_pid_lifecycle_get_their_kernel_frames_named()
    {
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        var processor = Processor();
        // What the pipeline graph hands symbolization when no pid_lifecycle is in front: raw samples, converted.
        var batch = new ProfileBatch
        {
            ResourceProfiles = RawSampleConversion.ToResourceProfiles(new RawSampleSet
            {
                PeriodNanos = 1,
                Samples = [new RawSample(Pid: 7, Tid: 7, Cpu: 0, KtimeNanos: 5, Comm: "x", KernelFrames: new ulong[] { 0xffffffff81001010 }, UserFrames: new ulong[] { 0x1234 })],
            }),
        };
        await processor.ConsumeAsync(batch, default);

        var locations = Assert.Single(Samples(batch)).Stack.Locations;
        Assert.Equal("do_syscall_64", Name(locations[0]));
        Assert.Null(Name(locations[1]));
        Assert.Equal(0x1234UL, locations[1].Address);
    }

    [Fact]
    public async Task Jit_frames_are_named_from_their_own_process_perf_map()
    {
        File.WriteAllText(Path.Combine(_sandbox.PerfMapDirectory, "perf-1.map"), "7f0000001000 100 One::Hot()\n");
        File.WriteAllText(Path.Combine(_sandbox.PerfMapDirectory, "perf-2.map"), "7f0000001000 100 Two::Hot()\n");
        var processor = Processor();
        var frame = JitFrame(0x7f0000001010);
        await processor.ConsumeAsync(Of(Process(1, Stack(frame)), Process(2, Stack(frame)), Process(3, Stack(frame))), default);

        var names = Samples(_next.Batches[0]).Select(s => Name(s.Stack.Locations[0])).ToList();
        Assert.Equal(["One::Hot()", "Two::Hot()", null], names);
        var named = Samples(_next.Batches[0]).First().Stack.Locations[0];
        Assert.Equal(frame.Mapping, named.Mapping);
        Assert.Equal(DotnetType, Assert.Single(named.Attributes));
        Assert.Equal(1, processor.Telemetry.UnresolvedCounts[(int)UnresolvedReason.NoPerfMapEntry]);
    }

    [Fact]
    public async Task Within_a_batch_the_same_frame_and_stack_resolve_to_the_same_instances()
    {
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        var processor = Processor();
        var a = Stack(KernelFrame(0xffffffff81001010), KernelFrame(0xffffffff81001200));
        var b = Stack(KernelFrame(0xffffffff81001010));
        var batch = Of(Process(1, a, Stack([.. a.Locations]), b), Process(2, a));
        await processor.ConsumeAsync(batch, default);

        var samples = Samples(batch).ToList();
        Assert.Same(samples[0].Stack, samples[1].Stack);
        Assert.Same(samples[0].Stack, samples[3].Stack); // kernel frames do not depend on the process
        Assert.Same(samples[0].Stack.Locations[0], samples[2].Stack.Locations[0]);
        Assert.Same(samples[0].Stack.Locations[0].Lines[0].Function, samples[2].Stack.Locations[0].Lines[0].Function);
        Assert.Equal(2, processor.Telemetry.ResolvedCounts[(int)SymbolSource.Kernel]); // each distinct frame once
    }

    [Fact]
    public async Task Frames_that_already_have_names_pass_through_untouched()
    {
        var processor = Processor();
        var named = new Location(null, 0x10, [new Line(new Function("from_backend"))]);
        var stack = Stack(named);
        await processor.ConsumeAsync(Of(Process(1, stack)), default);
        Assert.Same(stack, Assert.Single(Samples(_next.Batches[0])).Stack);
    }

    public void Dispose()
    {
        foreach (var processor in _processors) processor.ShutdownAsync(default).GetAwaiter().GetResult();
        _sandbox.Dispose();
    }

    private SymbolizationProcessor Processor(SymbolizationOptions? options = null)
    {
        var processor = new SymbolizationProcessor(_sandbox.Settings, options ?? new SymbolizationOptions(), _next, _sandbox.Environment);
        _processors.Add(processor);
        return processor;
    }
}
