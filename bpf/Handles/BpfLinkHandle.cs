using System.Runtime.InteropServices;
using Collector.Bpf.Native;

namespace Collector.Bpf;

/// <summary>A <c>struct bpf_link *</c>: one attached program. Releasing it detaches the program.</summary>
internal sealed class BpfLinkHandle : SafeHandle
{
    public BpfLinkHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Wraps what an attach call returned, or throws with its errno when it returned NULL.</summary>
    public static BpfLinkHandle FromAttach(nint link, int errno, string what)
    {
        if (link == 0)
        {
            throw BpfException.FromErrno(what, errno);
        }
        var result = new BpfLinkHandle();
        result.SetHandle(link);
        return result;
    }

    protected override bool ReleaseHandle() => LibbpfLinks.Destroy(handle) == 0;
}
