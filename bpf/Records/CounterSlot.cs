namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>enum profiler_counter</c>: slots of the per-CPU "counters" map.</summary>
internal enum CounterSlot : uint
{
    SamplesLost = 0,
    EventsLost = 1,
    PythonWalks = 2,
    PythonNoThreadState = 3,
    PythonNoThreadMatch = 4,
    PythonFrameUnreadable = 5,
    PythonBadCode = 6,
    PythonChainTooLong = 7,
    PythonTooManyThreads = 8,
    Count = 9,
}
