using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>
/// Mirror of <c>struct profiler_process_event</c>. In the ring buffer fork and exit records end before
/// <see cref="Filename"/>, and exec records after its NUL.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ProcessEventRecord
{
    public uint Kind;
    public uint Pid;
    public uint ParentPid;
    public uint Reserved;
    public ulong KtimeNanos;
    public ulong StartBoottimeNanos;
    public fixed byte Comm[AbiConstants.CommLength];
    public fixed byte Filename[AbiConstants.FilenameLength];

    /// <summary>Bytes before the filename: the whole of a fork or exit record.</summary>
    // Computed once: Marshal.OffsetOf looks the field up by name, which cost a quarter of the poll thread per sample.
    public static readonly int HeaderSize = (int)Marshal.OffsetOf<ProcessEventRecord>(nameof(Filename));
}
