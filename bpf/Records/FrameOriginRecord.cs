using System.Runtime.InteropServices;
using Collector.Core.Model;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_frame_origin</c> (the kernel's <c>struct bpf_stack_build_id</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FrameOriginRecord
{
    public int Status;
    public fixed byte BuildId[AbiConstants.BuildIdLength];
    public ulong Offset;

    /// <summary>How many 8-byte slots of <see cref="SampleRecord.Data"/> one origin takes.</summary>
    public const int Slots = 4;

    /// <summary>
    /// What the kernel knew of the frame at <paramref name="address"/>: build id and file offset when it found
    /// them, nothing otherwise. The kernel takes the mapping at or <em>above</em> an address, so an address in
    /// no mapping (the 0 that ends a frame-pointer chain, stack garbage) comes back "valid" with an offset that
    /// wrapped below zero; those are unknown too.
    /// </summary>
    public static UserFrameOrigin ToOrigin(FrameOriginRecord* record, ulong address) =>
        record->Status == (int)OriginStatus.Valid && address != 0 && record->Offset < 1UL << 63
            ? new UserFrameOrigin(KernelBuildId.FromBytes(new ReadOnlySpan<byte>(record->BuildId, AbiConstants.BuildIdLength)), record->Offset)
            : default;
}
