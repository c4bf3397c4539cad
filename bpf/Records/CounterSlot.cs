namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>enum profiler_counter</c>: slots of the per-CPU "counters" map.</summary>
internal enum CounterSlot : uint
{
    SamplesLost = 0,
    EventsLost = 1,
    Count = 2,
}
