namespace Collector.Exporters.Prometheus;

/// <summary>
/// The label values of one <c>profile_cpu_seconds_total</c> series; labels that are not configured stay empty,
/// so samples that differ only in them share a series. <see cref="Process"/> with the function cleared is the
/// group that <c>top_functions_per_process</c> limits.
/// </summary>
internal readonly record struct CpuTimeKey(string Process, string Pid, string ContainerId, string Service, string Thread, string Function)
{
    public CpuTimeKey WithoutFunction => this with { Function = "" };

    public string Value(string label) => label switch
    {
        CpuTimeLabels.Process => Process,
        CpuTimeLabels.Pid => Pid,
        CpuTimeLabels.ContainerId => ContainerId,
        CpuTimeLabels.Service => Service,
        CpuTimeLabels.Thread => Thread,
        CpuTimeLabels.Function => Function,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "not a cpu time label"),
    };
}
