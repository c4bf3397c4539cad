namespace Collector.Bpf;

/// <summary>
/// Receives the ring buffer's records during <see cref="KernelProfiler.Poll"/>, on the polling thread, one at a
/// time. Implementations copy what they keep and must not throw for bad data (an exception stops the poll
/// and is rethrown from it).
/// </summary>
public interface IRecordSink
{
    void OnSample(in SampleRecordView sample);

    void OnProcessEvent(in ProcessEventRecordView processEvent);
}
