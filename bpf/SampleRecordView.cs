using Collector.Core.Model;

namespace Collector.Bpf;

/// <summary>
/// One CPU sample as the kernel wrote it, valid only during <see cref="IRecordSink.OnSample"/>: the spans point
/// into the ring buffer, so whatever should outlive the call must be copied.
/// </summary>
public readonly ref struct SampleRecordView
{
    public SampleRecordView(
        int pid,
        int tid,
        int cpu,
        ulong ktimeNanos,
        ulong startBoottimeNanos,
        ReadOnlySpan<byte> comm,
        ReadOnlySpan<ulong> kernelFrames,
        ReadOnlySpan<ulong> userFrames,
        ReadOnlySpan<UserFrameOrigin> userFrameOrigins = default,
        UserStackStop userStop = UserStackStop.None,
        ReadOnlySpan<CPythonFrame> pythonFrames = default)
    {
        if (!userFrameOrigins.IsEmpty && userFrameOrigins.Length != userFrames.Length)
        {
            throw new ArgumentException("one origin per user frame, or none", nameof(userFrameOrigins));
        }
        Pid = pid;
        Tid = tid;
        Cpu = cpu;
        KtimeNanos = ktimeNanos;
        StartBoottimeNanos = startBoottimeNanos;
        Comm = comm;
        KernelFrames = kernelFrames;
        UserFrames = userFrames;
        UserFrameOrigins = userFrameOrigins;
        UserStop = userStop;
        PythonFrames = pythonFrames;
    }

    /// <summary>The thread's CPython frames, leaf first, when the process was marked in <see cref="PythonMaps"/> and the walk succeeded.</summary>
    public ReadOnlySpan<CPythonFrame> PythonFrames { get; }

    /// <summary>How the user stack walk ended: why it may lack its outermost frames.</summary>
    public UserStackStop UserStop { get; }

    /// <summary>The process (thread group id).</summary>
    public int Pid { get; }

    public int Tid { get; }

    public int Cpu { get; }

    /// <summary>CLOCK_MONOTONIC nanoseconds when the sample was taken.</summary>
    public ulong KtimeNanos { get; }

    /// <summary>When the process started, CLOCK_BOOTTIME nanoseconds; with <see cref="Pid"/> it identifies the process.</summary>
    public ulong StartBoottimeNanos { get; }

    /// <summary>The thread's name, without the trailing NUL bytes.</summary>
    public ReadOnlySpan<byte> Comm { get; }

    /// <summary>Kernel return addresses, leaf first; empty when kernel stacks are off or the sample hit user mode.</summary>
    public ReadOnlySpan<ulong> KernelFrames { get; }

    /// <summary>User return addresses from a frame-pointer walk, leaf first; empty for kernel threads.</summary>
    public ReadOnlySpan<ulong> UserFrames { get; }

    /// <summary>
    /// For each of <see cref="UserFrames"/> (same index), the build id and file offset the kernel found it in,
    /// or an unknown origin where it could not tell; empty when the kernel gave none.
    /// </summary>
    public ReadOnlySpan<UserFrameOrigin> UserFrameOrigins { get; }
}
