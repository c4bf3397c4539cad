using Collector.Core.Model;

namespace Collector.Exporters.Prometheus;

/// <summary>
/// Adds up the CPU time of one batch per series. A sample is worth one sampling period per occurrence when the
/// profile's period type is <c>cpu/nanoseconds</c> (an OTLP CPU profile: timestamps or counts); a profile
/// whose sample type is itself <c>cpu/nanoseconds</c> gives CPU time directly in its values. Other profiles
/// (off-CPU, allocations) are not CPU time and are skipped.
/// </summary>
internal sealed class CpuTimeAccumulator(IReadOnlySet<string> labels)
{
    private const double NanosPerSecond = 1e9;

    private readonly bool _process = labels.Contains(CpuTimeLabels.Process);
    private readonly bool _pid = labels.Contains(CpuTimeLabels.Pid);
    private readonly bool _container = labels.Contains(CpuTimeLabels.ContainerId);
    private readonly bool _service = labels.Contains(CpuTimeLabels.Service);
    private readonly bool _thread = labels.Contains(CpuTimeLabels.Thread);
    private readonly bool _function = labels.Contains(CpuTimeLabels.Function);

    /// <summary>CPU seconds per series in the batch, and how many samples were skipped as not CPU time.</summary>
    public (Dictionary<CpuTimeKey, double> Seconds, long SkippedSamples) Accumulate(ProfileBatch batch)
    {
        var seconds = new Dictionary<CpuTimeKey, double>();
        // Locations are shared within a batch; naming each once keeps the per-sample cost to a lookup.
        var names = new Dictionary<Location, string>(ReferenceEqualityComparer.Instance);
        var skipped = Add(batch.ResourceProfiles, seconds, names);
        return (seconds, skipped);
    }

    private long Add(List<ResourceProfiles> resources, Dictionary<CpuTimeKey, double> seconds, Dictionary<Location, string> names)
    {
        long skipped = 0;
        foreach (var resource in resources)
        {
            var (process, pid, container, service) = CpuTimeLabels.OfResource(resource.Resource);
            var group = new CpuTimeKey(_process ? process : "", _pid ? pid : "", _container ? container : "", _service ? service : "", "", "");
            foreach (var scope in resource.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles)
                {
                    var valuesAreCpu = IsCpuNanoseconds(profile.SampleType);
                    var period = IsCpuNanoseconds(profile.PeriodType) && profile.Period > 0 ? profile.Period / NanosPerSecond : 0;
                    foreach (var sample in profile.Samples)
                    {
                        var cpu = valuesAreCpu && sample.Values.Count > 0 ? Sum(sample.Values) / NanosPerSecond : sample.Weight * period;
                        if (cpu <= 0)
                        {
                            if (!valuesAreCpu && period == 0) skipped++;
                            continue;
                        }
                        var key = group with
                        {
                            Thread = _thread ? CpuTimeLabels.ThreadOf(sample) : "",
                            Function = _function ? FunctionOf(sample.Stack, names) : "",
                        };
                        seconds[key] = seconds.GetValueOrDefault(key) + cpu;
                    }
                }
            }
        }
        return skipped;
    }

    private static string FunctionOf(Stack stack, Dictionary<Location, string> names)
    {
        if (stack.Locations.Length == 0) return CpuTimeLabels.NoFrames;
        var leaf = stack.Locations[0];
        if (!names.TryGetValue(leaf, out var name))
        {
            name = CpuTimeLabels.FunctionOf(stack);
            names.Add(leaf, name);
        }
        return name;
    }

    private static bool IsCpuNanoseconds(Core.Model.ValueType? type) => type is { Type: "cpu", Unit: "nanoseconds" };

    private static double Sum(List<long> values)
    {
        double sum = 0;
        foreach (var value in values) sum += value;
        return sum;
    }
}
