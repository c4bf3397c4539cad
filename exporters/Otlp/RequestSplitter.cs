using Collector.Core.Model;
using Collector.Exporters.Sending;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Exporters.Otlp;

/// <summary>
/// Encodes a batch as one OTLP request, or, when that would be larger than <c>max_request_size</c>, as several
/// requests that each carry their own complete dictionary (<see cref="ModelToOtlp"/> runs once per part).
/// <para>The batch is seen as a sequence of units in order: every sample, plus every profile, scope or resource
/// that holds none (so empty containers are not lost). A part is a contiguous run of units and keeps the
/// resource, scope and profile fields around its samples. The first cut aims at three quarters of the limit
/// per part, leaving room for the dictionary entries parts repeat; a part still too large is halved until it
/// fits. A single sample larger than the limit goes alone: a request cannot be smaller than one sample.</para>
/// </summary>
internal sealed class RequestSplitter(RequestEncoding encoding, int maxRequestSize)
{
    public List<ExportRequest> Split(ProfileBatch batch)
    {
        var content = batch.ResourceProfiles;
        var whole = ModelToOtlp.ToRequest(batch);
        var units = Units(content);
        var body = EncodeWithinLimit(whole, out var size, always: maxRequestSize <= 0 || units.Count <= 1);
        if (body is not null) return [new ExportRequest(encoding, body, units.Count(u => u.Sample >= 0))];

        var parts = (int)Math.Min(units.Count, Math.Ceiling(size / (maxRequestSize * 0.75)));
        var requests = new List<ExportRequest>(parts);
        for (var i = 0; i < parts; i++)
        {
            var start = (int)((long)units.Count * i / parts);
            var end = (int)((long)units.Count * (i + 1) / parts);
            AddFitting(content, units, start, end, requests);
        }
        return requests;
    }

    /// <summary>Encodes units [start, end) as one request, halving the range until each part fits.</summary>
    private void AddFitting(List<ResourceProfiles> content, List<Unit> units, int start, int end, List<ExportRequest> requests)
    {
        var request = ModelToOtlp.ToRequest(Part(content, units, start, end, out var samples));
        if (EncodeWithinLimit(request, out _, always: end - start <= 1) is { } body)
        {
            requests.Add(new ExportRequest(encoding, body, samples));
            return;
        }
        var middle = start + ((end - start) / 2);
        AddFitting(content, units, start, middle, requests);
        AddFitting(content, units, middle, end, requests);
    }

    /// <summary>The encoded request, or null when it is larger than the limit and <paramref name="always"/> is false.</summary>
    private byte[]? EncodeWithinLimit(ExportProfilesServiceRequest request, out int size, bool always)
    {
        if (encoding == RequestEncoding.Proto)
        {
            size = request.CalculateSize();
            if (!always && size > maxRequestSize) return null;
            // Into an array of the size just computed: ToByteArray would compute it all over again.
            var bytes = new byte[size];
            request.WriteTo(bytes);
            return bytes;
        }
        var json = OtlpJson.Serialize(request);
        size = json.Length;
        return always || size <= maxRequestSize ? json : null;
    }

    /// <summary>Indices of one unit; -1 below the level the unit stands for (an empty container).</summary>
    private readonly record struct Unit(int Resource, int Scope, int Profile, int Sample);

    private static List<Unit> Units(List<ResourceProfiles> content)
    {
        var units = new List<Unit>();
        for (var r = 0; r < content.Count; r++)
        {
            var scopes = content[r].ScopeProfiles;
            if (scopes.Count == 0) units.Add(new Unit(r, -1, -1, -1));
            for (var s = 0; s < scopes.Count; s++)
            {
                var profiles = scopes[s].Profiles;
                if (profiles.Count == 0) units.Add(new Unit(r, s, -1, -1));
                for (var p = 0; p < profiles.Count; p++)
                {
                    var samples = profiles[p].Samples.Count;
                    if (samples == 0) units.Add(new Unit(r, s, p, -1));
                    for (var i = 0; i < samples; i++) units.Add(new Unit(r, s, p, i));
                }
            }
        }
        return units;
    }

    /// <summary>A batch holding units [start, end): new containers around the original (read-only, shared) samples.</summary>
    private static ProfileBatch Part(List<ResourceProfiles> content, List<Unit> units, int start, int end, out int samples)
    {
        var part = new ProfileBatch();
        ResourceProfiles? resource = null;
        ScopeProfiles? scope = null;
        Profile? profile = null;
        Unit previous = new(-1, -1, -1, -1);
        samples = 0;
        for (var i = start; i < end; i++)
        {
            var unit = units[i];
            var original = content[unit.Resource];
            if (resource is null || unit.Resource != previous.Resource)
            {
                resource = new ResourceProfiles { Resource = original.Resource, SchemaUrl = original.SchemaUrl };
                part.ResourceProfiles.Add(resource);
                scope = null;
                profile = null;
            }
            if (unit.Scope >= 0)
            {
                var originalScope = original.ScopeProfiles[unit.Scope];
                if (scope is null || unit.Scope != previous.Scope)
                {
                    scope = new ScopeProfiles { Scope = originalScope.Scope, SchemaUrl = originalScope.SchemaUrl };
                    resource.ScopeProfiles.Add(scope);
                    profile = null;
                }
                if (unit.Profile >= 0)
                {
                    var originalProfile = originalScope.Profiles[unit.Profile];
                    if (profile is null || unit.Profile != previous.Profile)
                    {
                        profile = WithoutSamples(originalProfile);
                        scope.Profiles.Add(profile);
                    }
                    if (unit.Sample >= 0)
                    {
                        profile.Samples.Add(originalProfile.Samples[unit.Sample]);
                        samples++;
                    }
                }
            }
            previous = unit;
        }
        return part;
    }

    private static Profile WithoutSamples(Profile profile) => new()
    {
        SampleType = profile.SampleType,
        TimeUnixNano = profile.TimeUnixNano,
        DurationNano = profile.DurationNano,
        PeriodType = profile.PeriodType,
        Period = profile.Period,
        ProfileId = profile.ProfileId,
        DroppedAttributesCount = profile.DroppedAttributesCount,
        OriginalPayloadFormat = profile.OriginalPayloadFormat,
        OriginalPayload = profile.OriginalPayload,
        Attributes = profile.Attributes,
    };
}
