using Collector.Core.Model;
using ModelValueType = Collector.Core.Model.ValueType;

namespace Collector.Exporters.Pprof;

/// <summary>
/// What the values of one pprof profile mean. Profiles of a report that agree on these go into one pprof file;
/// a count sampled at a fixed period gets a second value, count × period, as Go's CPU profiles have
/// (<c>samples/count</c> and <c>cpu/nanoseconds</c>), so <c>go tool pprof</c> shows time rather than counts.
/// </summary>
internal sealed record PprofSampleTypes(ModelValueType SampleType, ModelValueType? PeriodType, long Period)
{
    /// <summary>A profile that names no sample type holds occurrences: samples/count, as the eBPF receiver writes.</summary>
    public static PprofSampleTypes Of(Profile profile) =>
        new(profile.SampleType ?? ModelValueType.Samples, profile.PeriodType, profile.Period);

    /// <summary>True when each sample also carries count × period in the period's unit.</summary>
    public bool HasTimeValue => PeriodType is not null && Period > 0 && SampleType.Unit == "count";

    public int ValueCount => HasTimeValue ? 2 : 1;
}
