using System.Text;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf.Python;
using Collector.Receivers.Ebpf.Unwinding;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Receives the kernel's records during a poll: applies the user-space filters and keeps samples (until the
/// report is due) and process events (until the next watermark tick). Nothing is allocated per sample: frames
/// and their origins go to shared arenas, thread names are interned, and the sample list keeps the previous
/// report's capacity. In a pid namespace of its own (<paramref name="scope"/>) the records' kernel pids become the
/// namespace's before anything else looks at them, and processes outside it are left out.
/// Used by the polling loop only, one call at a time; counters may be read from any thread.
/// </summary>
internal sealed class RecordCollector(ProcessFilter? filter, WatermarkTracker watermark, NamespaceScope? scope = null) : IRecordSink
{
    private static readonly Comparison<ProcessEvent> ByKtime = (a, b) => a.KtimeNanos.CompareTo(b.KtimeNanos);

    private readonly SliceArena<ulong> _frames = new();
    private readonly SliceArena<UserFrameOrigin> _origins = new();
    private readonly UserFrameOrigin[] _filledOrigins = new UserFrameOrigin[KernelProfiler.MaxFramesPerStack];
    private readonly CommInterner _comms = new();
    private List<RawSample> _samples = [];
    private List<ProcessEvent> _events = [];
    private long _samplesReceived;
    private long _samplesFilteredOut;
    private long _stacksTruncated;
    private long _eventsReceived;
    private long _lateRecords;
    private readonly long[] _userStops = new long[8];
    private readonly SliceArena<CPythonFrame> _pythonFrames = new();
    private long _pythonPlaced;
    private long _pythonMismatched;

    /// <summary>The user-space half of the BPF unwinder, when native unwinding is on; set before the first poll.</summary>
    public NativeUnwinder? Unwinder { get; set; }

    /// <summary>
    /// Where the unwinder's processes map their files, when native unwinding and user build ids are on: origins for
    /// the stacks the kernel walked with unwind tables (it reports them only for frame-pointer walks). Set before the first poll.
    /// </summary>
    public ProcessFrameOrigins? FrameOrigins { get; set; }

    /// <summary>The CPython processes the kernel walks, when Python support is on; set before the first poll.</summary>
    public CPythonProcesses? Python { get; set; }

    /// <summary>Samples whose Python frames were placed among their native frames.</summary>
    public long PythonPlaced => Interlocked.Read(ref _pythonPlaced);

    /// <summary>Samples whose Python frames did not fit their native stack (eval-loop frames and eval calls differ): kept native.</summary>
    public long PythonMismatched => Interlocked.Read(ref _pythonMismatched);

    /// <summary>Samples whose user walk ended with <paramref name="stop"/>.</summary>
    public long UserStops(UserStackStop stop) => Interlocked.Read(ref _userStops[(int)stop & 7]);

    public long SamplesReceived => Interlocked.Read(ref _samplesReceived);

    public long SamplesFilteredOut => Interlocked.Read(ref _samplesFilteredOut);

    /// <summary>Samples whose kernel or user stack filled all 127 frames, so its outer frames are missing.</summary>
    public long StacksTruncated => Interlocked.Read(ref _stacksTruncated);

    public long EventsReceived => Interlocked.Read(ref _eventsReceived);

    /// <summary>Records stamped before a watermark already published (the promise it made was broken for them).</summary>
    public long LateRecords => Interlocked.Read(ref _lateRecords);

    public int HeldSamples => _samples.Count;

    /// <summary>The kernel time of the oldest sample held back, or null.</summary>
    public ulong? OldestHeldKtime { get; private set; }

    /// <summary>An exit arrived since the last <see cref="TakeEvents"/>: someone downstream waits for the watermark.</summary>
    public bool ExitPending { get; private set; }

    public void OnSample(in SampleRecordView sample)
    {
        Interlocked.Increment(ref _samplesReceived);
        var pid = sample.Pid;
        var tid = sample.Tid;
        if (scope is not null)
        {
            if (scope.Admit(sample.Pid, sample.StartBoottimeNanos, sample.Comm, isSample: true) is not { } local)
            {
                Interlocked.Increment(ref _samplesFilteredOut);
                return;
            }
            // The main thread's id is the process's; other threads keep the kernel's id (no thread start time to match by).
            tid = tid == pid ? local : tid;
            pid = local;
        }
        if (filter is not null && !filter.Matches(pid, sample.StartBoottimeNanos, sample.Comm, []))
        {
            Interlocked.Increment(ref _samplesFilteredOut);
            return;
        }
        if (sample.KernelFrames.Length >= KernelProfiler.MaxFramesPerStack || sample.UserFrames.Length >= KernelProfiler.MaxFramesPerStack)
        {
            Interlocked.Increment(ref _stacksTruncated);
        }
        Interlocked.Increment(ref _userStops[(int)sample.UserStop & 7]);
        Unwinder?.SampleStopped(sample.Pid, pid, sample.StartBoottimeNanos, sample.UserStop);
        NoteTime(sample.KtimeNanos);
        if (OldestHeldKtime is not { } oldest || sample.KtimeNanos < oldest)
        {
            OldestHeldKtime = sample.KtimeNanos;
        }
        var evalLoop = sample.PythonFrames.IsEmpty || Python is null ? default : Python.EvalLoop(sample.Pid, sample.StartBoottimeNanos);
        var placePython = !sample.PythonFrames.IsEmpty && CPythonPlacement.Fits(sample.UserFrames, sample.PythonFrames, evalLoop);
        if (!sample.PythonFrames.IsEmpty)
        {
            Interlocked.Increment(ref placePython ? ref _pythonPlaced : ref _pythonMismatched);
        }
        _samples.Add(new RawSample(
            pid,
            tid,
            sample.Cpu,
            sample.KtimeNanos,
            _comms.Intern(sample.Comm),
            _frames.Append(sample.KernelFrames),
            _frames.Append(sample.UserFrames))
        {
            ProcessStartNanos = sample.StartBoottimeNanos,
            UserFrameOrigins = _origins.Append(OriginsOf(sample)),
            CPythonFrames = placePython ? _pythonFrames.Append(sample.PythonFrames) : default,
            CPythonEvalLoop = placePython ? evalLoop : default,
        });
    }

    /// <summary>The kernel's origins of the sample's user frames, else (a stack walked with tables) the unwinder's.</summary>
    private ReadOnlySpan<UserFrameOrigin> OriginsOf(in SampleRecordView sample)
    {
        if (!sample.UserFrameOrigins.IsEmpty || sample.UserFrames.IsEmpty || FrameOrigins is null || sample.UserFrames.Length > _filledOrigins.Length)
        {
            return sample.UserFrameOrigins;
        }
        var filled = _filledOrigins.AsSpan(0, sample.UserFrames.Length);
        return FrameOrigins.TryFill(sample.Pid, sample.StartBoottimeNanos, sample.UserFrames, filled) ? filled : sample.UserFrameOrigins;
    }

    public void OnProcessEvent(in ProcessEventRecordView processEvent)
    {
        Interlocked.Increment(ref _eventsReceived);
        var pid = processEvent.Pid;
        var parent = processEvent.ParentPid;
        if (scope is not null)
        {
            if (scope.Admit(processEvent.Pid, processEvent.StartBoottimeNanos, processEvent.Comm, isSample: false) is not { } local)
            {
                return;
            }
            pid = local;
            parent = scope.Pids.KnownLocal(processEvent.ParentPid);
        }
        if (filter is not null)
        {
            if (processEvent.Kind == ProcessEventKind.Exec)
            {
                // The name and executable just changed; decide again.
                filter.Forget(pid);
            }
            var matches = filter.Matches(pid, processEvent.StartBoottimeNanos, processEvent.Comm, processEvent.Filename);
            if (processEvent.Kind == ProcessEventKind.Exit)
            {
                filter.Forget(pid);
            }
            if (!matches)
            {
                return;
            }
        }
        NoteTime(processEvent.KtimeNanos);
        switch (processEvent.Kind)
        {
            case ProcessEventKind.Exec:
                Unwinder?.Exec(processEvent.Pid, pid, processEvent.StartBoottimeNanos, processEvent.KtimeNanos);
                break;
            case ProcessEventKind.Fork:
                Unwinder?.Fork(processEvent.ParentPid, processEvent.Pid, pid, processEvent.StartBoottimeNanos);
                break;
            case ProcessEventKind.Exit:
                Unwinder?.Exit(processEvent.Pid, processEvent.StartBoottimeNanos, processEvent.KtimeNanos);
                break;
        }
        _events.Add(new ProcessEvent(processEvent.Kind, pid, parent, processEvent.KtimeNanos, _comms.Intern(processEvent.Comm))
        {
            ProcessStartNanos = processEvent.StartBoottimeNanos,
            // Once per exec, so a plain decode is fine; samples never carry a file name.
            Filename = processEvent.Filename.IsEmpty ? "" : Encoding.UTF8.GetString(processEvent.Filename),
        });
        ExitPending |= processEvent.Kind == ProcessEventKind.Exit;
    }

    /// <summary>Hands over the held samples; the next list starts with the same capacity.</summary>
    public List<RawSample> TakeSamples()
    {
        var taken = _samples;
        _samples = new List<RawSample>(Math.Max(16, taken.Count));
        OldestHeldKtime = null;
        return taken;
    }

    /// <summary>Hands over the pending events in kernel time order (the ring buffer interleaves CPUs).</summary>
    public List<ProcessEvent> TakeEvents()
    {
        var taken = _events;
        _events = [];
        ExitPending = false;
        taken.Sort(ByKtime);
        return taken;
    }

    private void NoteTime(ulong ktime)
    {
        if (watermark.IsLate(ktime))
        {
            Interlocked.Increment(ref _lateRecords);
        }
    }
}
