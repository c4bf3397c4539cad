using System.Globalization;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf.Unwinding;

/// <summary>
/// Acceptance for <c>native_unwinding: auto</c>: programs built without frame pointers get complete stacks, from the
/// leaf through the signal frames and libc to <c>_start</c>, with the caller chains perf's DWARF mode finds.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class NativeUnwindingTests(ITestOutputHelper output) : IDisposable
{
    private const int Frequency = 99;

    /// <summary>
    /// Long enough that a process's first moments do not dominate: until the receiver has read its maps and built
    /// its tables (the exec reaches it at the next 500 ms tick), a process is walked by frame pointer.
    /// </summary>
    private const double Seconds = 12;

    private readonly string _work = Directory.CreateTempSubdirectory("ebpf-unwind-").FullName;

    /// <summary>What the last workload <see cref="SampleAsync(Func{System.Diagnostics.Process})"/> ran printed.</summary>
    private string _stdout = "";

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task C_without_frame_pointers_reaches_start_with_perfs_caller_chains()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = CompiledWorkload.Build(_work, "nofp", ".c", UnwindWorkloads.C, "clang-14",
            "-O2", "-fomit-frame-pointer", "-momit-leaf-frame-pointer", "-fno-pie", "-no-pie");

        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(chain => chain.Length > 0 && chain[^1] == "_start");
        Report("C -O2 -fomit-frame-pointer", samples, complete, chains);
        Assert.True(complete >= 0.95 * samples.Count, $"{complete} of {samples.Count} stacks reach _start");

        Prerequisites.Tools("perf");
        var perfChains = PerfDwarf.Record(workload.Path, _work, 5, Frequency, workload.Defines);
        var ours = Frequent(chains);
        var theirs = Frequent(perfChains);
        output.WriteLine($"perf --call-graph dwarf: {perfChains.Count} samples, {perfChains.Count(c => c.Length > 0 && c[^1] == "_start")} reach _start");
        foreach (var chain in ours.Union(theirs))
        {
            output.WriteLine($"  {(ours.Contains(chain) ? "ours" : "    ")} {(theirs.Contains(chain) ? "perf" : "    ")} {chain}");
        }
        Assert.Equal(theirs.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_signal_handler_stack_crosses_the_signal_frame_into_the_interrupted_function()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = CompiledWorkload.Build(_work, "signal", ".c", UnwindWorkloads.Signal, "clang-14",
            "-O2", "-fomit-frame-pointer", "-fno-pie", "-no-pie");
        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var inHandler = chains.Where(c => c.Length > 0 && c[0] == "spin_in_handler").ToList();
        foreach (var chain in inHandler.Select(c => string.Join(" ← ", c)).Distinct().Take(5))
        {
            output.WriteLine($"  in the handler: {chain}");
        }
        var crossed = inHandler.Count(c => c is ["spin_in_handler", "on_alarm", .., "interrupted_loop", "main", "_start"]);
        Report("spinning in a SIGALRM handler", samples, chains.Count(c => c.Length > 0 && c[^1] == "_start"), chains);
        output.WriteLine($"{inHandler.Count} samples in the handler, {crossed} cross the signal frame to interrupted_loop ← main ← _start");
        Assert.True(inHandler.Count > 20, "the handler hardly ran");
        Assert.True(crossed >= 0.9 * inHandler.Count, $"{crossed} of {inHandler.Count} handler stacks cross the signal frame");
    }

    [Fact]
    public async Task Cpp_with_inlining_and_exceptions_is_complete()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang++-14", "nm");
        var workload = CompiledWorkload.Build(_work, "cpp", ".cpp", UnwindWorkloads.Cpp, "clang++-14",
            "-O2", "-fomit-frame-pointer", "-fno-pie", "-no-pie");
        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(c => c.Length > 0 && c[^1] == "_start");
        Report("C++ -O2 -fomit-frame-pointer", samples, complete, chains);
        Assert.True(complete >= 0.9 * samples.Count, $"{complete} of {samples.Count} stacks reach _start");
    }

    [Fact]
    public async Task Debian_python3_reaches_start_through_Py_BytesMain()
    {
        const string Python = "/usr/bin/python3";
        Prerequisites.Bpf();
        Prerequisites.Tools("nm", "readelf");
        ExternalTools.Require(File.Exists(Python), $"{Python} is not installed (Debian package python3)");
        var binary = new FileInfo(Python).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Python;
        var interpreter = CompiledWorkload.FromBinary(binary, dynamic: true);
        Assert.True(interpreter.Defines("Py_BytesMain"), "python3 exports Py_BytesMain");
        const string Loop = "import time\nt = time.time() + {0}\nwhile time.time() < t:\n    sum(i * i for i in range(1000))\n";
        var samples = await SampleAsync(() =>
        {
            var start = new System.Diagnostics.ProcessStartInfo(Python) { RedirectStandardOutput = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(string.Format(CultureInfo.InvariantCulture, Loop, Seconds));
            return System.Diagnostics.Process.Start(start)!;
        });
        var chains = samples.Select(s => interpreter.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(c => c is [.., "Py_BytesMain", "_start"] || (c.Length > 1 && c[^1] == "_start" && c.Contains("Py_BytesMain")));
        Report("python3 (Debian, pure-Python loop)", samples, complete, chains);
        Assert.True(complete >= 0.9 * samples.Count, $"{complete} of {samples.Count} stacks reach _start through Py_BytesMain");
    }

    [Fact]
    public async Task Go_stacks_cross_assembly_without_frame_pointers_through_the_compressed_debug_frame()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("nm");
        ExternalTools.Require("go", "golang-go");
        var module = Path.Combine(_work, "gowork");
        Directory.CreateDirectory(module);
        File.WriteAllText(Path.Combine(module, "go.mod"), "module gowork\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "main.go"), UnwindWorkloads.Go);
        // A plain `go build`: static, not PIE (nm's addresses are the run-time ones), no .eh_frame, and the linker's
        // .debug_frame compressed with zlib.
        var binary = Path.Combine(module, "gowork");
        CompiledWorkload.Run("go", ["build", "-o", binary, "."], module);
        Assert.Matches(@"\.debug_frame\s+PROGBITS\s+\S+\s+\S+\s+\S+\s+\S+\s+C ", CompiledWorkload.Run("readelf", ["-S", "-W", binary]));
        var workload = CompiledWorkload.FromBinary(binary);

        var samples = await SampleAsync(workload, Seconds);

        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(c => c.Length > 0 && c[^1] == "runtime.goexit.abi0");
        var inHash = chains.Where(c => c.Length > 0 && c[0].StartsWith("crypto/sha256.block", StringComparison.Ordinal)).ToList();
        // `go worker(…)` runs worker through a wrapper closure (main.main.func1) that goexit calls.
        var crossed = inHash.Count(c => c[^1] == "runtime.goexit.abi0" && Array.IndexOf(c, "main.hashRounds") is > 0 and var hash && Array.IndexOf(c, "main.worker") == hash + 1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Go (go build): {samples.Count} samples, {complete} ({100.0 * complete / Math.Max(1, samples.Count):F1}%) reach runtime.goexit; {crossed} of {inHash.Count} in crypto/sha256's assembly reach it through main.hashRounds ← main.worker"));
        foreach (var chain in inHash.Select(c => string.Join(" ← ", c)).Distinct().Take(3)) output.WriteLine($"  in the assembly: {chain}");
        foreach (var odd in chains.Where(c => c.Length == 0 || c[^1] != "runtime.goexit.abi0").Select(c => string.Join(" ← ", c)).Distinct().Take(5))
        {
            output.WriteLine($"  incomplete: {odd}");
        }
        Assert.True(inHash.Count > 50, "the workload hardly hashed");
        Assert.True(crossed >= 0.9 * inHash.Count, $"{crossed} of {inHash.Count} samples in crypto/sha256's assembly reach runtime.goexit");
        Assert.True(complete >= 0.9 * samples.Count, $"{complete} of {samples.Count} stacks reach runtime.goexit");
    }

    [Fact]
    public async Task Rust_release_binary_is_complete()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("nm");
        var cargo = CargoPath();
        ExternalTools.Require(cargo is not null, "cargo is not installed (rustup or Debian package cargo)");
        var crate = Path.Combine(_work, "spin");
        Directory.CreateDirectory(Path.Combine(crate, "src"));
        File.WriteAllText(Path.Combine(crate, "Cargo.toml"), "[package]\nname = \"spin\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[profile.release]\ndebug = false\n");
        File.WriteAllText(Path.Combine(crate, "src", "main.rs"), UnwindWorkloads.Rust);
        // Non-PIE, so nm's addresses are the run-time ones; release builds keep no frame pointers.
        var build = new System.Diagnostics.ProcessStartInfo(cargo!) { WorkingDirectory = crate, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["build", "--release", "--offline", "-q"])
        {
            build.ArgumentList.Add(argument);
        }
        build.Environment["RUSTFLAGS"] = "-C relocation-model=static";
        build.Environment["CARGO_TARGET_DIR"] = Path.Combine(crate, "target");
        using (var cargoRun = System.Diagnostics.Process.Start(build)!)
        {
            var errors = await cargoRun.StandardError.ReadToEndAsync();
            await cargoRun.WaitForExitAsync();
            Assert.True(cargoRun.ExitCode == 0, errors);
        }
        var workload = CompiledWorkload.FromBinary(Path.Combine(crate, "target", "release", "spin"));
        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(c => c.Length > 0 && c[^1] == "_start");
        Report("Rust release (cargo)", samples, complete, chains);
        Assert.True(complete >= 0.9 * samples.Count, $"{complete} of {samples.Count} stacks reach _start");
    }

    [Fact]
    public async Task A_library_dlopened_after_the_collector_started_gets_complete_stacks_after_the_rescan()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var libraryPath = Path.Combine(_work, "libspin.so");
        var librarySource = Path.Combine(_work, "libspin.c");
        File.WriteAllText(librarySource, UnwindWorkloads.DlopenLibrary);
        CompiledWorkload.Run("clang-14", ["-O2", "-fomit-frame-pointer", "-momit-leaf-frame-pointer", "-shared", "-fPIC", "-o", libraryPath, librarySource]);
        var library = CompiledWorkload.FromBinary(libraryPath);
        var host = CompiledWorkload.Build(_work, "dlhost", ".c", UnwindWorkloads.DlopenHost, "clang-14",
            "-O2", "-fomit-frame-pointer", "-momit-leaf-frame-pointer", "-fno-pie", "-no-pie", "-ldl");

        var samples = await SampleAsync(() => host.Start(Seconds.ToString(CultureInfo.InvariantCulture), libraryPath), ["^dlhost$"]);
        var printed = _stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(printed.Length == 2, $"the host printed '{_stdout}'");
        var libraryBase = ulong.Parse(printed[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        // Names from both symbol tables: the library's by offset from its load base, the host's by address.
        string? Name(ulong address) => address >= libraryBase && library.Resolve(address - libraryBase) is { } inLibrary ? inLibrary : host.Resolve(address);
        var inLibrary = samples.Where(s => s.UserFrames.Span[0] >= libraryBase && library.Resolve(s.UserFrames.Span[0] - libraryBase) is not null).ToList();
        var chains = inLibrary.Select(s => Chain(s.UserFrames.Span, Name)).ToList();
        var complete = chains.Count(c => c is [.., "library_entry", "call_into_library", "main", "_start"]);
        Report("dlopened library", inLibrary, complete, chains);
        output.WriteLine($"{samples.Count} samples in all, {inLibrary.Count} with the leaf in the library");
        foreach (var chain in chains.Select(c => string.Join(" ← ", c)).GroupBy(c => c).OrderByDescending(g => g.Count()).Take(4))
        {
            output.WriteLine($"  {chain.Count()} × {chain.Key}");
        }
        Assert.True(inLibrary.Count >= 200, $"only {inLibrary.Count} samples in the library");
        Assert.True(complete >= 0.9 * inLibrary.Count, $"{complete} of {inLibrary.Count} library stacks are complete");
    }

    [Fact]
    public async Task Kernel_mode_samples_of_a_program_without_frame_pointers_carry_complete_user_stacks()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = CompiledWorkload.Build(_work, "syscalls", ".c", UnwindWorkloads.Syscalls, "clang-14",
            "-O2", "-fomit-frame-pointer", "-momit-leaf-frame-pointer", "-fno-pie", "-no-pie");
        var samples = await SampleAsync(() => workload.Start(Seconds.ToString(CultureInfo.InvariantCulture)), ["^syscalls$"]);
        var inKernel = samples.Where(s => s.KernelFrames.Length > 0).ToList();
        var chains = inKernel.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(c => c is ["read_zeros", "syscall_loop", "main", "_start"]);
        Report("kernel-mode samples of a syscall loop", inKernel, complete, chains);
        output.WriteLine($"{inKernel.Count} of {samples.Count} samples were taken in the kernel ({inKernel.Sum(s => s.KernelFrames.Length) / Math.Max(1, inKernel.Count)} kernel frames on average)");
        Assert.True(inKernel.Count >= 0.5 * samples.Count && inKernel.Count >= 100, $"only {inKernel.Count} of {samples.Count} samples in the kernel");
        Assert.All(inKernel, s => Assert.True(s.KernelFrames.Span[0] >= 0xffff800000000000UL, "a kernel frame outside kernel space"));
        Assert.True(complete >= 0.9 * inKernel.Count, $"{complete} of {inKernel.Count} kernel-mode samples have read_zeros ← syscall_loop ← main ← _start below their kernel frames");
    }

    /// <summary>Names of the frames <paramref name="resolve"/> knows, leaf first (return addresses looked up one byte back).</summary>
    private static string[] Chain(ReadOnlySpan<ulong> frames, Func<ulong, string?> resolve)
    {
        var names = new List<string>(frames.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            if (resolve(i == 0 ? frames[i] : frames[i] - 1) is { } name)
            {
                names.Add(name);
            }
        }
        return [.. names];
    }

    private static string? CargoPath() =>
        (ExternalTools.OnPath("cargo") ? "cargo" : null) ?? (File.Exists("/root/.cargo/bin/cargo") ? "/root/.cargo/bin/cargo" : null);

    /// <summary>Runs the workload under the receiver with native unwinding and returns its samples.</summary>
    internal Task<List<RawSample>> SampleAsync(CompiledWorkload workload, double seconds, params string[] extra) =>
        SampleAsync(() => workload.Start([seconds.ToString(CultureInfo.InvariantCulture), .. extra]));

    /// <summary>
    /// Runs the process under the receiver with native unwinding and returns its samples. With
    /// <paramref name="processNames"/> the receiver (and so the unwinder's worker) follows only those processes:
    /// on a machine busy with other work, the worker otherwise reads the maps and builds the tables of every other
    /// new process too, and a test's process may wait behind them.
    /// </summary>
    internal async Task<List<RawSample>> SampleAsync(Func<System.Diagnostics.Process> start, IReadOnlyList<string>? processNames = null)
    {
        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = Frequency, ProcessNames = processNames ?? [] });
        Assert.NotNull(session.Receiver.Unwinder);
        using var process = start();
        // The workloads end on their own after Seconds; one that does not must fail the test, not hang the suite.
        await ProcessDeadline.WaitForExitAsync(process, TimeSpan.FromSeconds(5 * Seconds + 60),
            async token => _stdout = await process.StandardOutput.ReadToEndAsync(token));
        output.WriteLine($"tables loaded {session.Receiver.Unwinder!.Tables.LoadedTables}, {session.Receiver.Unwinder.Tables.KernelBytes} bytes");
        await session.StopAsync();
        output.WriteLine($"user walks: complete {session.Receiver.UserStops(UserStackStop.Complete)}, no_process {session.Receiver.UserStops(UserStackStop.NoProcess)}, "
            + $"no_table {session.Receiver.UserStops(UserStackStop.NoTable)}, no_mapping {session.Receiver.UserStops(UserStackStop.NoMapping)}, "
            + $"read_fault {session.Receiver.UserStops(UserStackStop.ReadFault)}, unsupported {session.Receiver.UserStops(UserStackStop.Unsupported)}, "
            + $"depth {session.Receiver.UserStops(UserStackStop.DepthLimit)}; tables {session.Receiver.Unwinder!.Tables.LoadedTables}, "
            + $"{session.Receiver.Unwinder.Tables.KernelBytes} bytes, {session.Receiver.Unwinder.Tables.Failures} files without a table (last refusal {session.Receiver.Unwinder.Tables.LastRefusal})");
        return [.. session.Consumer.RawSamples.Where(s => s.Pid == process.Id && s.UserFrames.Length > 0)];
    }

    internal void Report(string what, List<RawSample> samples, int complete, List<string[]> chains)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {samples.Count} samples, {complete} ({100.0 * complete / Math.Max(1, samples.Count):F1}%) reach _start"));
        foreach (var odd in chains.Where(c => c.Length == 0 || c[^1] != "_start").Take(5))
        {
            output.WriteLine($"  incomplete: {string.Join(" ← ", odd)}");
        }
    }

    /// <summary>Distinct chains that make up at least 3% of the samples (rarer ones depend on where the ticks fell).</summary>
    private static HashSet<string> Frequent(List<string[]> chains) =>
        [.. chains.Select(c => string.Join(" ← ", c)).GroupBy(c => c).Where(g => g.Count() >= 0.03 * chains.Count).Select(g => g.Key)];
}
