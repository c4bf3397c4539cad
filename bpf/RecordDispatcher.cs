using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Collector.Bpf.Records;
using Collector.Core.Model;

namespace Collector.Bpf;

/// <summary>
/// The ring buffer callback: checks each record's size against its kind, turns it into a view and hands it to
/// the sink. Records the kernel side should never produce are counted and skipped, never trusted.
/// </summary>
internal sealed unsafe class RecordDispatcher(IRecordSink sink)
{
    /// <summary>The current sample's origins, decoded; reused for every sample (the view lends it to the sink).</summary>
    private readonly UserFrameOrigin[] _origins = new UserFrameOrigin[AbiConstants.MaxFrames];
    private readonly CPythonFrame[] _python = new CPythonFrame[AbiConstants.MaxPythonFrames];
    private long _malformed;

    /// <summary>Records whose size or kind did not fit the ABI.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>What the sink threw during the current poll; the poll rethrows it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>The function pointer libbpf calls; <paramref name="context"/> is a GCHandle to the dispatcher.</summary>
    public static delegate* unmanaged<nint, nint, nuint, int> Callback => &OnRecord;

    [UnmanagedCallersOnly]
    private static int OnRecord(nint context, nint data, nuint size)
    {
        var dispatcher = (RecordDispatcher)GCHandle.FromIntPtr(context).Target!;
        try
        {
            dispatcher.Dispatch(new ReadOnlySpan<byte>((void*)data, checked((int)size)));
            return 0;
        }
        catch (Exception error)
        {
            // An exception must not unwind through libbpf's C frames; stop the consume loop and rethrow later.
            dispatcher.Failure = error;
            return -1;
        }
    }

    /// <summary>Checks one record and passes it on; the span covers exactly the record libbpf handed over.</summary>
    internal void Dispatch(ReadOnlySpan<byte> record)
    {
        fixed (byte* data = record)
        {
            Dispatch(data, (nuint)record.Length);
        }
    }

    private void Dispatch(byte* data, nuint size)
    {
        if (size < sizeof(uint))
        {
            _malformed++;
            return;
        }
        switch ((RecordKind)Unsafe.ReadUnaligned<uint>(data))
        {
            case RecordKind.Sample:
                DispatchSample(data, size);
                break;
            case RecordKind.Exec:
                DispatchEvent(data, size, ProcessEventKind.Exec);
                break;
            case RecordKind.Fork:
                DispatchEvent(data, size, ProcessEventKind.Fork);
                break;
            case RecordKind.Exit:
                DispatchEvent(data, size, ProcessEventKind.Exit);
                break;
            default:
                _malformed++;
                break;
        }
    }

    private void DispatchSample(byte* data, nuint size)
    {
        if (size < (nuint)SampleRecord.HeaderSize)
        {
            _malformed++;
            return;
        }
        // Ring buffer records are 8-byte aligned, so the header can be read in place.
        var record = (SampleRecord*)data;
        int kernel = record->KernelFrames, user = record->UserFrames, origins = record->UserOrigins, python = record->PythonFrames;
        if (kernel > AbiConstants.MaxFrames || user > AbiConstants.MaxFrames || (origins != 0 && origins != user) || python > AbiConstants.MaxPythonFrames
            || (nuint)(SampleRecord.HeaderSize + (kernel + user + origins * FrameOriginRecord.Slots + python * PythonFrameRecord.Slots) * sizeof(ulong)) > size)
        {
            _malformed++;
            return;
        }
        var frames = record->Data;
        var originRecords = (FrameOriginRecord*)(frames + kernel + user);
        for (var i = 0; i < origins; i++)
        {
            _origins[i] = FrameOriginRecord.ToOrigin(originRecords + i, frames[kernel + i]);
        }
        var pythonRecords = (PythonFrameRecord*)(frames + kernel + user + origins * FrameOriginRecord.Slots);
        for (var i = 0; i < python; i++)
        {
            var frame = pythonRecords[i];
            _python[i] = new CPythonFrame(frame.Code, frame.InstructionOffset, (frame.Flags & PythonFrameRecord.EntryFlag) != 0);
        }
        var view = new SampleRecordView(
            (int)record->Pid,
            (int)record->Tid,
            (int)record->Cpu,
            record->KtimeNanos,
            record->StartBoottimeNanos,
            CString(record->Comm, AbiConstants.CommLength),
            new ReadOnlySpan<ulong>(frames, kernel),
            new ReadOnlySpan<ulong>(frames + kernel, user),
            _origins.AsSpan(0, origins),
            (UserStackStop)record->UserStop,
            _python.AsSpan(0, python));
        sink.OnSample(in view);
    }

    private void DispatchEvent(byte* data, nuint size, ProcessEventKind kind)
    {
        // Fork and exit records end where the filename starts; exec records carry it up to its NUL.
        if (size < (nuint)ProcessEventRecord.HeaderSize)
        {
            _malformed++;
            return;
        }
        var record = (ProcessEventRecord*)data;
        var filenameBytes = (int)Math.Min(size - (nuint)ProcessEventRecord.HeaderSize, (nuint)AbiConstants.FilenameLength);
        var view = new ProcessEventRecordView(
            kind,
            (int)record->Pid,
            (int)record->ParentPid,
            record->KtimeNanos,
            record->StartBoottimeNanos,
            CString(record->Comm, AbiConstants.CommLength),
            CString(record->Filename, filenameBytes));
        sink.OnProcessEvent(in view);
    }

    /// <summary>The bytes of a fixed-size C string up to its first NUL.</summary>
    private static ReadOnlySpan<byte> CString(byte* start, int capacity)
    {
        var span = new ReadOnlySpan<byte>(start, capacity);
        var end = span.IndexOf((byte)0);
        return end < 0 ? span : span[..end];
    }
}
