namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>enum profiler_record_kind</c> in profiler.h: the first field of every ring buffer record.</summary>
internal enum RecordKind : uint
{
    Sample = 1,
    Exec = 2,
    Fork = 3,
    Exit = 4,
}
