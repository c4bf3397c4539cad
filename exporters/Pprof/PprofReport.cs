using Collector.Core.Model;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Splits a batch into pprof profiles: one per set of sample types (a pprof profile has one meaning for its values),
/// and per process when asked. The eBPF receiver's reports hold a single set, so merged means one file per report.
/// </summary>
internal static class PprofReport
{
    /// <summary>Profiles of the batch keyed by sample types and, with <paramref name="perProcess"/>, by <c>process.pid</c> (null without one).</summary>
    public static Dictionary<(PprofSampleTypes Types, long? Pid), PprofBuilder> Split(ProfileBatch batch, bool perProcess, Func<Resource?, bool>? include = null)
    {
        var profiles = new Dictionary<(PprofSampleTypes, long?), PprofBuilder>();
        foreach (var resourceProfiles in batch.ResourceProfiles)
        {
            var resource = resourceProfiles.Resource;
            if (include is not null && !include(resource)) continue;
            var pid = perProcess ? ProcessIdOf(resource) : null;
            foreach (var scope in resourceProfiles.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles)
                {
                    if (profile.Samples.Count == 0) continue;
                    var types = PprofSampleTypes.Of(profile);
                    if (!profiles.TryGetValue((types, pid), out var builder))
                    {
                        builder = new PprofBuilder(types);
                        profiles.Add((types, pid), builder);
                    }
                    builder.Add(resource, profile);
                }
            }
        }
        return profiles;
    }

    public static long? ProcessIdOf(Resource? resource) => AttributeOf(resource, SemanticConventions.ProcessPid) switch
    {
        { Kind: AnyValueKind.Int } value => value.IntValue,
        { Kind: AnyValueKind.String } value when long.TryParse(value.StringValue, out var pid) => pid,
        _ => null,
    };

    public static AnyValue? AttributeOf(Resource? resource, string key)
    {
        if (resource is null) return null;
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Key == key) return attribute.Value;
        }
        return null;
    }
}
