using System.Runtime.InteropServices;
using Collector.Bpf.Native;

namespace Collector.Bpf;

/// <summary>A <c>struct ring_buffer *</c> (libbpf's consumer with the map's pages mapped into this process).</summary>
internal sealed class RingBufferHandle : SafeHandle
{
    public RingBufferHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    public static RingBufferHandle FromNew(nint ringBuffer, int errno)
    {
        if (ringBuffer == 0)
        {
            throw BpfException.FromErrno("creating the ring buffer consumer", errno);
        }
        var result = new RingBufferHandle();
        result.SetHandle(ringBuffer);
        return result;
    }

    protected override bool ReleaseHandle()
    {
        LibbpfRingBuffers.Free(handle);
        return true;
    }
}
