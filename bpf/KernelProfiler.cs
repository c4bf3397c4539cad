using System.Numerics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Collector.Bpf.Native;
using Collector.Bpf.Records;
using Microsoft.Extensions.Logging;

namespace Collector.Bpf;

/// <summary>
/// The loaded and attached profiler.bpf.o: a cpu-clock sampling program on every online CPU, exec/fork/exit
/// tracepoints, and the ring buffer they write to. Records reach an <see cref="IRecordSink"/> only when the
/// owner calls <see cref="Poll"/>; the kernel side never wakes anyone up.
/// <para>Not thread-safe: one owner polls, reads counters and disposes, one call at a time.</para>
/// </summary>
public sealed unsafe class KernelProfiler : IDisposable
{
    /// <summary>The deepest stack recorded; a stack this deep has probably lost its outermost frames.</summary>
    public const int MaxFramesPerStack = AbiConstants.MaxFrames;

    /// <summary>The most pids the kernel-side filter holds.</summary>
    public const int MaxTargetPids = AbiConstants.MaxTargetPids;

    private const string ObjectName = "profiler";
    private const int MinRingBufferBytes = 256 << 10;
    private const int MaxRingBufferBytes = 64 << 20;

    /// <summary>How late the owner's poll may come before records are lost.</summary>
    private const int BacklogSeconds = 2;

    /// <summary>A fork/exec loop on one CPU reaches about 700 a second here; this leaves room above that.</summary>
    private const int ChurnProcessesPerCpuSecond = 1000;

    /// <summary>
    /// Churn stops growing with the CPU count here (16,000 processes a second machine-wide): big machines run
    /// wide builds and services, not one fork loop per CPU, and the ring's pages are memory the collector holds.
    /// </summary>
    private const int ChurnCpus = 16;

    /// <summary>The kernel's header in front of every ring buffer record (length and flags).</summary>
    private const int RingRecordHeader = 8;

    /// <summary>Fork, exec and exit records of one process: the short form of each, plus a typical 64-byte exec path.</summary>
    private static int ChurnBytesPerProcess => (3 * (ProcessEventRecord.HeaderSize + RingRecordHeader)) + 64;

    private static readonly string[] TracepointPrograms = ["on_exec", "on_fork", "on_exit"];

    private const string FramePointerSampler = "sample_cpu";
    private const string UnwindingSampler = "sample_cpu_unwind";

    private readonly BpfObjectHandle _object;
    private readonly RecordDispatcher _dispatcher;
    private readonly List<BpfLinkHandle> _links = [];
    private readonly ILogger _logger;
    private readonly int _countersFd;
    private readonly int _possibleCpus;
    private GCHandle _dispatcherHandle;
    private string _samplerProgram = FramePointerSampler;
    private RingBufferHandle? _ringBuffer;
    private bool _disposed;

    private KernelProfiler(BpfObjectHandle obj, IRecordSink sink, ILogger logger, int possibleCpus)
    {
        _object = obj;
        _logger = logger;
        _dispatcher = new RecordDispatcher(sink);
        _countersFd = MapFd("counters");
        _possibleCpus = possibleCpus;
    }

    /// <summary>The CPUs a sampling event is attached to.</summary>
    public IReadOnlyList<int> Cpus { get; private set; } = [];

    public int RingBufferBytes { get; private set; }

    /// <summary>Records dropped because their size or kind did not fit the ABI (never expected).</summary>
    public long MalformedRecords => _dispatcher.Malformed;

    /// <summary>
    /// Checks the kernel requirements, loads the programs, configures the filters and attaches everything.
    /// Throws <see cref="BpfException"/> naming the missing capability or feature when that is the cause.
    /// </summary>
    public static KernelProfiler Start(KernelProfilerSettings settings, IRecordSink sink, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(logger);
        if (settings.SamplesPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "SamplesPerSecond must be positive");
        }
        if (settings.TargetPids.Count > AbiConstants.MaxTargetPids)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), $"at most {AbiConstants.MaxTargetPids} target pids");
        }

        LibbpfLog.Route(logger);
        KernelRequirements.Check();
        var cpus = OnlineCpus.Read();
        var possibleCpus = LibbpfMaps.NumPossibleCpus();
        if (possibleCpus <= 0)
        {
            throw BpfException.FromErrno("counting possible CPUs", possibleCpus);
        }

        var ringBytes = RingBufferSize(settings.SamplesPerSecond, cpus.Count);
        var unwind = settings.NativeUnwinding;
        if (unwind && MissingUnwinderFeature() is { } missing)
        {
            BpfLog.UnwinderUnavailable(logger, missing);
            unwind = false;
        }
        var obj = OpenAndLoad(ringBytes, unwind, out var loadError);
        if (obj is null && unwind && loadError != -ErrnoHints.EPERM)
        {
            // The verifier of this kernel refused the unwinder: frame pointers still work.
            BpfLog.UnwinderUnavailable(logger, $"the kernel refused to load the unwinder ({LibbpfErrors.Describe(loadError)}, errno {-loadError})");
            unwind = false;
            obj = OpenAndLoad(ringBytes, unwind, out loadError);
        }
        if (obj is null)
        {
            throw BpfException.FromErrno("loading the BPF programs into the kernel", loadError);
        }
        KernelProfiler? profiler = null;
        try
        {
            profiler = new KernelProfiler(obj, sink, logger, possibleCpus) { RingBufferBytes = ringBytes };
            profiler._samplerProgram = unwind ? UnwindingSampler : FramePointerSampler;
            profiler.Unwinding = unwind ? new UnwindMaps(profiler.MapFd("unwind_tables"), profiler.MapFd("process_mappings")) : null;
            profiler.Python = unwind ? new PythonMaps(profiler.MapFd("python_processes")) : null;
            profiler.Configure(settings);
            profiler.OpenRingBuffer();
            profiler.AttachTracepoints();
            profiler.AttachSamplers(cpus, settings.SamplesPerSecond);
            BpfLog.Started(logger, profiler.Cpus.Count, settings.SamplesPerSecond, ringBytes);
            return profiler;
        }
        catch
        {
            if (profiler is null)
            {
                obj.Dispose();
            }
            else
            {
                profiler.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// The unwinder's maps when <see cref="KernelProfilerSettings.NativeUnwinding"/> was asked for and the kernel has
    /// what it needs; null when samples use the kernel's frame-pointer walk.
    /// </summary>
    public UnwindMaps? Unwinding { get; private set; }

    /// <summary>
    /// The processes whose CPython frames the sampler walks; null without the unwinder (the walk runs in its program,
    /// which needs bpf_loop).
    /// </summary>
    public PythonMaps? Python { get; private set; }

    /// <summary>Opens the embedded object, sizes the ring, loads one of the two samplers; null (and the errno) when loading failed.</summary>
    private static BpfObjectHandle? OpenAndLoad(int ringBytes, bool unwind, out int error)
    {
        var obj = BpfObjectHandle.Open(ProfilerObject.Load(), ObjectName);
        try
        {
            Check(LibbpfObjects.SetMaxEntries(FindMap(obj, "records"), (uint)ringBytes), "sizing the ring buffer");
            Check(LibbpfObjects.SetAutoload(FindProgram(obj, unwind ? FramePointerSampler : UnwindingSampler), false), "choosing the sampler");
            error = LibbpfObjects.Load(obj);
            if (error >= 0)
            {
                return obj;
            }
        }
        catch
        {
            obj.Dispose();
            throw;
        }
        obj.Dispose();
        return null;
    }

    /// <summary>The first helper the unwinder calls that perf_event programs cannot use on this kernel, or null.</summary>
    private static string? MissingUnwinderFeature()
    {
        (int Helper, string Name)[] helpers =
        [
            (LibbpfProbes.HelperLoop, "the bpf_loop helper (Linux 5.17)"),
            (LibbpfProbes.HelperTaskPtRegs, "the bpf_task_pt_regs helper (Linux 5.15)"),
            (LibbpfProbes.HelperGetCurrentTaskBtf, "the bpf_get_current_task_btf helper (Linux 5.11)"),
        ];
        foreach (var (helper, name) in helpers)
        {
            if (LibbpfProbes.ProbeHelper(LibbpfProbes.ProgramTypePerfEvent, helper, 0) != 1)
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>
    /// Room for what every CPU can produce while the owner is late (it polls twice a second; <see cref="BacklogSeconds"/>
    /// covers a poll delayed by a busy machine): the largest samples at the sampling rate, plus a burst of process
    /// churn of <see cref="ChurnProcessesPerCpuSecond"/> short-lived processes (fork, exec and exit records each)
    /// on up to <see cref="ChurnCpus"/> CPUs.
    /// A power of two, which the kernel requires, within [256 KiB, 64 MiB].
    /// </summary>
    public static int RingBufferSize(int samplesPerSecond, int cpuCount)
    {
        var cpus = Math.Max(1, cpuCount);
        var samples = (long)samplesPerSecond * cpus * BacklogSeconds * (sizeof(SampleRecord) + RingRecordHeader);
        var churn = (long)ChurnProcessesPerCpuSecond * Math.Min(cpus, ChurnCpus) * BacklogSeconds * ChurnBytesPerProcess;
        var bytes = (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(samples + churn, MinRingBufferBytes));
        return (int)Math.Min(bytes, MaxRingBufferBytes);
    }

    /// <summary>Hands every record committed so far to the sink; returns how many. Rethrows what the sink threw.</summary>
    public int Poll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var consumed = LibbpfRingBuffers.Consume(_ringBuffer!);
        if (_dispatcher.Failure is { } failure)
        {
            _dispatcher.Failure = null;
            ExceptionDispatchInfo.Throw(failure);
        }
        if (consumed < 0)
        {
            throw BpfException.FromErrno("consuming the ring buffer", consumed);
        }
        return consumed;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for a record that wakes user space (an exec, with native unwinding),
    /// then hands every record committed so far to the sink like <see cref="Poll"/>; returns how many.
    /// </summary>
    public int WaitAndPoll(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var consumed = LibbpfRingBuffers.Poll(_ringBuffer!, timeoutMs);
        if (_dispatcher.Failure is { } failure)
        {
            _dispatcher.Failure = null;
            ExceptionDispatchInfo.Throw(failure);
        }
        // EINTR: a signal arrived while waiting; the next call waits again.
        if (consumed < 0 && consumed != -ErrnoHints.EINTR)
        {
            throw BpfException.FromErrno("waiting on the ring buffer", consumed);
        }
        return Math.Max(consumed, 0);
    }

    public KernelCounters ReadCounters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new KernelCounters(ReadCounter(CounterSlot.SamplesLost), ReadCounter(CounterSlot.EventsLost))
        {
            Python = new PythonWalkCounters(
                ReadCounter(CounterSlot.PythonWalks),
                ReadCounter(CounterSlot.PythonNoThreadState),
                ReadCounter(CounterSlot.PythonNoThreadMatch),
                ReadCounter(CounterSlot.PythonFrameUnreadable),
                ReadCounter(CounterSlot.PythonBadCode),
                ReadCounter(CounterSlot.PythonChainTooLong),
                ReadCounter(CounterSlot.PythonTooManyThreads)),
        };
    }

    /// <summary>Stops sampling and event tracing. Records already in the ring buffer can still be polled.</summary>
    public void Detach()
    {
        foreach (var link in _links)
        {
            link.Dispose();
        }
        _links.Clear();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Detach();
        _ringBuffer?.Dispose();
        if (_dispatcherHandle.IsAllocated)
        {
            _dispatcherHandle.Free();
        }
        _object.Dispose();
    }

    private void Configure(KernelProfilerSettings settings)
    {
        var config = new ProfilerConfig
        {
            SelfPid = (uint)Math.Max(0, settings.ExcludedPid),
            FilterPids = settings.TargetPids.Count > 0 ? 1u : 0u,
            KernelStacks = settings.KernelStacks ? 1u : 0u,
            UserBuildIds = settings.UserBuildIds ? 1u : 0u,
            // Only the unwinder needs to hear of an exec early; without it every record waits for the timer.
            WakeOnExec = Unwinding is not null ? 1u : 0u,
        };
        var zero = 0u;
        Check(LibbpfMaps.Update(MapFd("config"), &zero, &config, LibbpfMaps.UpdateAny), "writing the profiler configuration");

        var pidsFd = MapFd("target_pids");
        byte present = 1;
        foreach (var pid in settings.TargetPids)
        {
            var key = (uint)pid;
            Check(LibbpfMaps.Update(pidsFd, &key, &present, LibbpfMaps.UpdateAny), $"adding pid {pid} to the target pids");
        }
    }

    private void OpenRingBuffer()
    {
        _dispatcherHandle = GCHandle.Alloc(_dispatcher);
        var ring = LibbpfRingBuffers.New(MapFd("records"), RecordDispatcher.Callback, GCHandle.ToIntPtr(_dispatcherHandle), 0);
        _ringBuffer = RingBufferHandle.FromNew(ring, Marshal.GetLastPInvokeError());
    }

    private void AttachTracepoints()
    {
        foreach (var name in TracepointPrograms)
        {
            var link = LibbpfLinks.AttachTrace(FindProgram(name));
            _links.Add(BpfLinkHandle.FromAttach(link, Marshal.GetLastPInvokeError(), $"attaching {name} to its sched tracepoint"));
        }
    }

    private void AttachSamplers(IReadOnlyList<int> cpus, int samplesPerSecond)
    {
        var program = FindProgram(_samplerProgram);
        var attached = new List<int>(cpus.Count);
        foreach (var cpu in cpus)
        {
            var attr = new PerfEventAttr
            {
                Type = PerfEvents.TypeSoftware,
                Size = PerfEventAttr.SizeVer0,
                Config = PerfEvents.ConfigCpuClock,
                SampleFrequency = (ulong)samplesPerSecond,
                // Opened disabled: attaching enables it. exclude_idle spares the program on idle CPUs.
                Flags = PerfEvents.FlagDisabled | PerfEvents.FlagFrequency | PerfEvents.FlagExcludeIdle,
            };
            var fd = PerfEvents.Open(ref attr, pid: -1, cpu);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == ErrnoHints.ENODEV)
                {
                    // The CPU went offline since the online list was read; it has nothing to sample.
                    BpfLog.CpuWentOffline(_logger, cpu);
                    continue;
                }
                throw BpfException.FromErrno($"perf_event_open of a cpu-clock event on CPU {cpu}", errno, ErrnoHints.ForPerfEvent(errno, cpu));
            }
            using var perfEvent = new PerfEventHandle(fd);
            var link = LibbpfLinks.AttachPerfEvent(program, perfEvent.Fd);
            var linkHandle = BpfLinkHandle.FromAttach(link, Marshal.GetLastPInvokeError(), $"attaching {_samplerProgram} to the cpu-clock event of CPU {cpu}");
            perfEvent.TransferToLink();
            _links.Add(linkHandle);
            attached.Add(cpu);
        }
        Cpus = attached;
    }

    private long ReadCounter(CounterSlot slot)
    {
        var key = (uint)slot;
        // Per-CPU values come one per possible CPU, each rounded up to 8 bytes; ours are 8 bytes already.
        Span<ulong> values = _possibleCpus <= 256 ? stackalloc ulong[_possibleCpus] : new ulong[_possibleCpus];
        fixed (ulong* pointer = values)
        {
            Check(LibbpfMaps.Lookup(_countersFd, &key, pointer), "reading the kernel-side counters");
        }
        ulong sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }
        return (long)sum;
    }

    private nint FindProgram(string name) => FindProgram(_object, name);

    private static nint FindProgram(BpfObjectHandle obj, string name)
    {
        var program = LibbpfObjects.FindProgram(obj, name);
        return program != 0 ? program : throw new BpfException($"the BPF object has no program \"{name}\"");
    }

    private int MapFd(string name) => LibbpfObjects.MapFd(FindMap(_object, name));

    private static nint FindMap(BpfObjectHandle obj, string name)
    {
        var map = LibbpfObjects.FindMap(obj, name);
        return map != 0 ? map : throw new BpfException($"the BPF object has no map \"{name}\"");
    }

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw BpfException.FromErrno(what, result);
        }
    }
}
