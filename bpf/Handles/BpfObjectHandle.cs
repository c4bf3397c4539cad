using System.Runtime.InteropServices;
using Collector.Bpf.Native;

namespace Collector.Bpf;

/// <summary>
/// A <c>struct bpf_object *</c> together with the ELF image it was opened from: libbpf reads that memory until
/// the object is loaded, so it lives in native memory owned by this handle and is freed after the object.
/// </summary>
internal sealed unsafe class BpfObjectHandle : SafeHandle
{
    private void* _image;

    public BpfObjectHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Copies <paramref name="elf"/> to native memory and opens it; throws <see cref="BpfException"/>.</summary>
    public static BpfObjectHandle Open(ReadOnlySpan<byte> elf, string name)
    {
        var result = new BpfObjectHandle();
        var image = NativeMemory.Alloc((nuint)elf.Length);
        elf.CopyTo(new Span<byte>(image, elf.Length));
        var nameBytes = (byte*)Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            var options = new LibbpfObjects.OpenOptions { Size = (nuint)sizeof(LibbpfObjects.OpenOptions), ObjectName = nameBytes };
            var obj = LibbpfObjects.OpenMem(image, (nuint)elf.Length, &options);
            if (obj == 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                NativeMemory.Free(image);
                throw BpfException.FromErrno($"opening the BPF object \"{name}\"", errno);
            }
            result._image = image;
            result.SetHandle(obj);
            return result;
        }
        finally
        {
            Marshal.FreeCoTaskMem((nint)nameBytes);
        }
    }

    protected override bool ReleaseHandle()
    {
        LibbpfObjects.Close(handle);
        NativeMemory.Free(_image);
        _image = null;
        return true;
    }
}
