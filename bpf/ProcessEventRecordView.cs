using Collector.Core.Model;

namespace Collector.Bpf;

/// <summary>An exec, fork or exit as the kernel wrote it, valid only during <see cref="IRecordSink.OnProcessEvent"/>.</summary>
public readonly ref struct ProcessEventRecordView
{
    public ProcessEventRecordView(
        ProcessEventKind kind,
        int pid,
        int parentPid,
        ulong ktimeNanos,
        ulong startBoottimeNanos,
        ReadOnlySpan<byte> comm,
        ReadOnlySpan<byte> filename)
    {
        Kind = kind;
        Pid = pid;
        ParentPid = parentPid;
        KtimeNanos = ktimeNanos;
        StartBoottimeNanos = startBoottimeNanos;
        Comm = comm;
        Filename = filename;
    }

    public ProcessEventKind Kind { get; }

    /// <summary>The process concerned; for a fork, the new child.</summary>
    public int Pid { get; }

    /// <summary>For a fork the forking process, otherwise the real parent.</summary>
    public int ParentPid { get; }

    public ulong KtimeNanos { get; }

    public ulong StartBoottimeNanos { get; }

    /// <summary>The process name (after the exec, for an exec), without trailing NUL bytes.</summary>
    public ReadOnlySpan<byte> Comm { get; }

    /// <summary>For an exec, the path given to execve; empty otherwise.</summary>
    public ReadOnlySpan<byte> Filename { get; }
}
