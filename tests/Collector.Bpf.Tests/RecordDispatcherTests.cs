using System.Buffers.Binary;
using System.Text;
using Collector.Bpf.Records;
using Collector.Core.Model;

namespace Collector.Bpf.Tests;

/// <summary>Records are decoded by their kind and size; anything that does not fit the ABI is counted, not trusted.</summary>
public class RecordDispatcherTests
{
    private readonly CapturingSink _sink = new();
    private readonly RecordDispatcher _dispatcher;

    public RecordDispatcherTests() => _dispatcher = new RecordDispatcher(_sink);

    [Fact]
    public void A_sample_is_split_into_kernel_and_user_frames()
    {
        _dispatcher.Dispatch(Sample(pid: 42, tid: 43, kernel: [0xffffffff81000010, 0xffffffff81000020], user: [0x401000, 0x401100, 0x401200]));

        var sample = Assert.Single(_sink.Samples);
        Assert.Equal((42, 43, 1, 123_456_789UL, 987UL, "worker"), (sample.Pid, sample.Tid, sample.Cpu, sample.Ktime, sample.Start, sample.Comm));
        Assert.Equal([0xffffffff81000010, 0xffffffff81000020], sample.Kernel);
        Assert.Equal([0x401000UL, 0x401100, 0x401200], sample.User);
        Assert.Equal(0, _dispatcher.Malformed);
    }

    [Fact]
    public void A_sample_claiming_more_frames_than_its_size_holds_is_counted_and_dropped()
    {
        var record = Sample(1, 1, kernel: [1, 2], user: [3]);
        _dispatcher.Dispatch(record.AsSpan(0, record.Length - 8));

        Assert.Empty(_sink.Samples);
        Assert.Equal(1, _dispatcher.Malformed);
    }

    [Fact]
    public void Frame_counts_beyond_the_abi_limit_are_rejected()
    {
        var record = Sample(1, 1, kernel: [], user: []);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(48), AbiConstants.MaxFrames + 1);
        _dispatcher.Dispatch(record);

        Assert.Empty(_sink.Samples);
        Assert.Equal(1, _dispatcher.Malformed);
    }

    [Fact]
    public void User_frame_origins_follow_the_addresses_and_only_valid_ones_are_known()
    {
        var buildId = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        _dispatcher.Dispatch(Sample(1, 1, kernel: [0xffffffff81000010], user: [0x401000, 0x7f0000001000, 0x7f0000002000],
            origins: [(OriginStatus.Valid, buildId, 0x1000), (OriginStatus.Ip, new byte[20], 0x7f0000001000), (OriginStatus.Empty, new byte[20], 0)]));

        var sample = Assert.Single(_sink.Samples);
        Assert.Equal([0x401000UL, 0x7f0000001000, 0x7f0000002000], sample.User);
        Assert.Equal(3, sample.Origins.Length);
        Assert.Equal(new UserFrameOrigin(KernelBuildId.FromBytes(buildId), 0x1000), sample.Origins[0]);
        Assert.Equal("0102030405060708090a0b0c0d0e0f1011121314", sample.Origins[0].BuildId.ToString());
        Assert.False(sample.Origins[1].IsKnown);
        Assert.False(sample.Origins[2].IsKnown);
        Assert.Equal(0, _dispatcher.Malformed);
    }

    [Fact]
    public void Valid_origins_of_addresses_in_no_mapping_are_unknown()
    {
        // The kernel takes the next mapping up for an address in none: the 0 ending a frame-pointer chain comes
        // back "valid" with an offset wrapped below zero.
        var buildId = new byte[20];
        buildId[0] = 0xab;
        _dispatcher.Dispatch(Sample(1, 1, kernel: [], user: [0x401000, 0],
            origins: [(OriginStatus.Valid, buildId, 0xffffaa0000401000), (OriginStatus.Valid, buildId, 0xffffaa0000000000)]));

        var sample = Assert.Single(_sink.Samples);
        Assert.All(sample.Origins, origin => Assert.False(origin.IsKnown));
    }

    [Fact]
    public void A_sample_without_origins_has_none()
    {
        _dispatcher.Dispatch(Sample(1, 1, kernel: [], user: [0x401000]));

        Assert.Empty(Assert.Single(_sink.Samples).Origins);
    }

    [Fact]
    public void Origins_that_do_not_match_the_user_frames_or_the_size_are_rejected()
    {
        var mismatched = Sample(1, 1, kernel: [], user: [1, 2], origins: [(OriginStatus.Valid, new byte[20], 1), (OriginStatus.Valid, new byte[20], 2)]);
        BinaryPrimitives.WriteUInt16LittleEndian(mismatched.AsSpan(52), 1);
        _dispatcher.Dispatch(mismatched);
        var cut = Sample(1, 1, kernel: [], user: [1], origins: [(OriginStatus.Valid, new byte[20], 1)]);
        _dispatcher.Dispatch(cut.AsSpan(0, cut.Length - 8));

        Assert.Empty(_sink.Samples);
        Assert.Equal(2, _dispatcher.Malformed);
    }

    [Theory]
    [InlineData(2u, ProcessEventKind.Exec)]
    [InlineData(3u, ProcessEventKind.Fork)]
    [InlineData(4u, ProcessEventKind.Exit)]
    public void Process_events_carry_kind_pids_time_and_names(uint kind, ProcessEventKind expected)
    {
        _dispatcher.Dispatch(Event((RecordKind)kind, pid: 7, parent: 1, filename: "/usr/bin/true"));

        var processEvent = Assert.Single(_sink.Events);
        Assert.Equal((expected, 7, 1, 555UL, 444UL, "true", "/usr/bin/true"), processEvent);
    }

    [Fact]
    public void Events_are_as_long_as_their_used_part()
    {
        // What the kernel writes: fork and exit end before the filename, exec ends after the filename's NUL.
        var header = ProcessEventRecord.HeaderSize;
        _dispatcher.Dispatch(Event(RecordKind.Fork, 7, 1, "").AsSpan(0, header));
        _dispatcher.Dispatch(Event(RecordKind.Exec, 7, 1, "/bin/true").AsSpan(0, header + "/bin/true".Length + 1));
        _dispatcher.Dispatch(Event(RecordKind.Exit, 7, 1, "").AsSpan(0, header));

        Assert.Equal(["", "/bin/true", ""], _sink.Events.Select(e => e.Item7));
        Assert.Equal([ProcessEventKind.Fork, ProcessEventKind.Exec, ProcessEventKind.Exit], _sink.Events.Select(e => e.Item1));
        Assert.Equal(0, _dispatcher.Malformed);
    }

    [Fact]
    public void A_filename_cut_by_the_record_end_is_read_only_up_to_it()
    {
        _dispatcher.Dispatch(Event(RecordKind.Exec, 7, 1, "/usr/bin/true").AsSpan(0, ProcessEventRecord.HeaderSize + 4));

        Assert.Equal("/usr", Assert.Single(_sink.Events).Item7);
    }

    [Fact]
    public void Short_and_unknown_records_are_counted()
    {
        _dispatcher.Dispatch([1, 0]);
        _dispatcher.Dispatch(Event(RecordKind.Exit, 1, 1, "").AsSpan(0, 40));
        var unknown = Event(RecordKind.Exit, 1, 1, "");
        unknown[0] = 99;
        _dispatcher.Dispatch(unknown);

        Assert.Empty(_sink.Events);
        Assert.Equal(3, _dispatcher.Malformed);
    }

    private static byte[] Sample(int pid, int tid, ulong[] kernel, ulong[] user, (OriginStatus Status, byte[] BuildId, ulong Offset)[]? origins = null)
    {
        origins ??= [];
        var record = new byte[SampleRecord.HeaderSize + (kernel.Length + user.Length) * 8 + origins.Length * 32];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)RecordKind.Sample);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], tid);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], 123_456_789);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], 987);
        Encoding.ASCII.GetBytes("worker").CopyTo(span[32..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[48..], (ushort)kernel.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[50..], (ushort)user.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], (ushort)origins.Length);
        var offset = SampleRecord.HeaderSize;
        foreach (var frame in kernel.Concat(user))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], frame);
            offset += 8;
        }
        foreach (var (status, buildId, fileOffset) in origins)
        {
            // struct bpf_stack_build_id: status, 20-byte build id, then the offset at 24.
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], (int)status);
            buildId.CopyTo(span[(offset + 4)..]);
            BinaryPrimitives.WriteUInt64LittleEndian(span[(offset + 24)..], fileOffset);
            offset += 32;
        }
        return record;
    }

    private static byte[] Event(RecordKind kind, int pid, int parent, string filename)
    {
        var record = new byte[System.Runtime.InteropServices.Marshal.SizeOf<ProcessEventRecord>()];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)kind);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], parent);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], 555);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], 444);
        Encoding.ASCII.GetBytes("true").CopyTo(span[32..]);
        Encoding.ASCII.GetBytes(filename).CopyTo(span[48..]);
        return record;
    }

    private sealed class CapturingSink : IRecordSink
    {
        public List<(int Pid, int Tid, int Cpu, ulong Ktime, ulong Start, string Comm, ulong[] Kernel, ulong[] User, UserFrameOrigin[] Origins)> Samples { get; } = [];

        public List<(ProcessEventKind, int, int, ulong, ulong, string, string)> Events { get; } = [];

        public void OnSample(in SampleRecordView sample) => Samples.Add((sample.Pid, sample.Tid, sample.Cpu, sample.KtimeNanos,
            sample.StartBoottimeNanos, Encoding.ASCII.GetString(sample.Comm), sample.KernelFrames.ToArray(), sample.UserFrames.ToArray(),
            sample.UserFrameOrigins.ToArray()));

        public void OnProcessEvent(in ProcessEventRecordView processEvent) => Events.Add((processEvent.Kind, processEvent.Pid,
            processEvent.ParentPid, processEvent.KtimeNanos, processEvent.StartBoottimeNanos,
            Encoding.ASCII.GetString(processEvent.Comm), Encoding.ASCII.GetString(processEvent.Filename)));
    }
}
