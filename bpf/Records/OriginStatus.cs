namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>enum profiler_origin_status</c> (the kernel's <c>enum bpf_stack_build_id_status</c>).</summary>
internal enum OriginStatus
{
    Empty = 0,
    Valid = 1,
    Ip = 2,
}
