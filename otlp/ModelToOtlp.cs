using Collector.Core.Model;
using Collector.Otlp.Proto.Collector;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;
using WireResource = Collector.Otlp.Proto.Resource;

namespace Collector.Otlp;

/// <summary>
/// Builds a self-contained OTLP export from a batch: a fresh dictionary per call, index 0 of every table the
/// zero value, each entity once, nothing unreferenced. Raw samples are included unsymbolized (addresses only),
/// after the batch's own resource profiles, as <see cref="RawSampleConversion"/> shapes them.
/// Process events and the watermark are pipeline control data and are not exported.
/// </summary>
public static class ModelToOtlp
{
    public static ExportProfilesServiceRequest ToRequest(ProfileBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var dictionary = ExportDictionaryBuilder.Rent();
        try
        {
            var request = new ExportProfilesServiceRequest();
            foreach (var resourceProfiles in batch.ResourceProfiles) request.ResourceProfiles.Add(ResourceProfiles(resourceProfiles, dictionary));
            if (batch.Raw is { Samples.Count: > 0 } raw)
            {
                foreach (var resourceProfiles in RawSampleConversion.ToResourceProfiles(raw)) request.ResourceProfiles.Add(ResourceProfiles(resourceProfiles, dictionary));
            }
            request.Dictionary = dictionary.Dictionary;
            return request;
        }
        finally
        {
            dictionary.Return();
        }
    }

    private static Wire.ResourceProfiles ResourceProfiles(ResourceProfiles model, ExportDictionaryBuilder dictionary)
    {
        var wire = new Wire.ResourceProfiles { SchemaUrl = model.SchemaUrl };
        if (model.Resource is { } resource)
        {
            var wireResource = new WireResource.Resource { DroppedAttributesCount = resource.DroppedAttributesCount };
            foreach (var attribute in resource.Attributes) wireResource.Attributes.Add(dictionary.KeyValue(attribute));
            foreach (var entityRef in resource.EntityRefs) wireResource.EntityRefs.Add(EntityRef(entityRef));
            wire.Resource = wireResource;
        }
        foreach (var scopeProfiles in model.ScopeProfiles) wire.ScopeProfiles.Add(ScopeProfiles(scopeProfiles, dictionary));
        return wire;
    }

    private static WireCommon.EntityRef EntityRef(EntityRef model)
    {
        var wire = new WireCommon.EntityRef { SchemaUrl = model.SchemaUrl, Type = model.Type };
        wire.IdKeys.AddRange(model.IdKeys);
        wire.DescriptionKeys.AddRange(model.DescriptionKeys);
        return wire;
    }

    private static Wire.ScopeProfiles ScopeProfiles(ScopeProfiles model, ExportDictionaryBuilder dictionary)
    {
        var wire = new Wire.ScopeProfiles { SchemaUrl = model.SchemaUrl };
        if (model.Scope is { } scope)
        {
            var wireScope = new WireCommon.InstrumentationScope
            {
                Name = scope.Name,
                Version = scope.Version,
                DroppedAttributesCount = scope.DroppedAttributesCount,
            };
            foreach (var attribute in scope.Attributes) wireScope.Attributes.Add(dictionary.KeyValue(attribute));
            wire.Scope = wireScope;
        }
        foreach (var profile in model.Profiles) wire.Profiles.Add(Profile(profile, dictionary));
        return wire;
    }

    private static Wire.Profile Profile(Profile model, ExportDictionaryBuilder dictionary)
    {
        var wire = new Wire.Profile
        {
            SampleType = dictionary.ValueType(model.SampleType),
            TimeUnixNano = model.TimeUnixNano,
            DurationNano = model.DurationNano,
            PeriodType = dictionary.ValueType(model.PeriodType),
            Period = model.Period,
            ProfileId = ExportDictionaryBuilder.Bytes(model.ProfileId),
            DroppedAttributesCount = model.DroppedAttributesCount,
            OriginalPayloadFormat = model.OriginalPayloadFormat,
            OriginalPayload = ExportDictionaryBuilder.Bytes(model.OriginalPayload),
        };
        wire.Samples.Capacity = model.Samples.Count;
        foreach (var sample in model.Samples) wire.Samples.Add(Sample(sample, dictionary));
        dictionary.Attributes(wire.AttributeIndices, model.Attributes);
        return wire;
    }

    private static Wire.Sample Sample(Sample model, ExportDictionaryBuilder dictionary)
    {
        var wire = new Wire.Sample { StackIndex = dictionary.Stack(model.Stack), LinkIndex = dictionary.Link(model.Link) };
        dictionary.SampleAttributes(wire.AttributeIndices, model.Attributes);
        // Exact capacity (an empty RepeatedField would reserve eight slots); List<T> is an ICollection, so
        // AddRange then copies in one step.
        if (model.Values.Count > 0)
        {
            wire.Values.Capacity = model.Values.Count;
            wire.Values.AddRange(model.Values);
        }
        if (model.TimestampsUnixNano.Count > 0)
        {
            wire.TimestampsUnixNano.Capacity = model.TimestampsUnixNano.Count;
            wire.TimestampsUnixNano.AddRange(model.TimestampsUnixNano);
        }
        return wire;
    }
}
