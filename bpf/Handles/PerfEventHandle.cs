using Collector.Bpf.Native;
using Microsoft.Win32.SafeHandles;

namespace Collector.Bpf;

/// <summary>A perf event file descriptor, closed on release unless ownership moved to a BPF link.</summary>
internal sealed class PerfEventHandle : SafeHandleMinusOneIsInvalid
{
    public PerfEventHandle() : base(ownsHandle: true)
    {
    }

    public PerfEventHandle(int fd) : base(ownsHandle: true)
    {
        SetHandle(fd);
    }

    public int Fd => (int)handle;

    /// <summary>A successful bpf_program__attach_perf_event makes the link close the descriptor; we must not.</summary>
    public void TransferToLink() => SetHandleAsInvalid();

    protected override bool ReleaseHandle() => PerfEvents.Close((int)handle) == 0;
}
