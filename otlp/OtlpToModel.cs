using Collector.Core.Model;
using Collector.Otlp.Proto.Collector;
using Wire = Collector.Otlp.Proto.Profiles;

namespace Collector.Otlp;

/// <summary>
/// Resolves an OTLP export's indices into the model. Throws <see cref="OtlpFormatException"/> naming any index
/// out of range. Lossless for what <see cref="ModelToOtlp"/> produces: re-encoding the result gives the same
/// request, byte for byte. Each dictionary entry becomes one shared model instance.
/// </summary>
public static class OtlpToModel
{
    public static ProfileBatch ToBatch(ExportProfilesServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var resolver = new DictionaryResolver(request.Dictionary);
        var batch = new ProfileBatch { ResourceProfiles = new List<ResourceProfiles>(request.ResourceProfiles.Count) };
        for (var i = 0; i < request.ResourceProfiles.Count; i++)
        {
            batch.ResourceProfiles.Add(ResourceProfiles(request.ResourceProfiles[i], $"resourceProfiles[{i}]", resolver));
        }
        return batch;
    }

    private static ResourceProfiles ResourceProfiles(Wire.ResourceProfiles wire, string path, DictionaryResolver resolver)
    {
        var model = new ResourceProfiles
        {
            SchemaUrl = wire.SchemaUrl,
            ScopeProfiles = new List<ScopeProfiles>(wire.ScopeProfiles.Count),
        };
        if (wire.Resource is { } resource)
        {
            var resourcePath = path + ".resource";
            var modelResource = new Resource
            {
                DroppedAttributesCount = resource.DroppedAttributesCount,
                Attributes = new List<KeyValue>(resource.Attributes.Count),
                EntityRefs = new List<EntityRef>(resource.EntityRefs.Count),
            };
            for (var i = 0; i < resource.Attributes.Count; i++)
            {
                modelResource.Attributes.Add(resolver.KeyValue(resource.Attributes[i], $"{resourcePath}.attributes[{i}]"));
            }
            foreach (var entityRef in resource.EntityRefs)
            {
                modelResource.EntityRefs.Add(new EntityRef(entityRef.SchemaUrl, entityRef.Type, [.. entityRef.IdKeys], [.. entityRef.DescriptionKeys]));
            }
            model.Resource = modelResource;
        }
        for (var i = 0; i < wire.ScopeProfiles.Count; i++)
        {
            model.ScopeProfiles.Add(ScopeProfiles(wire.ScopeProfiles[i], $"{path}.scopeProfiles[{i}]", resolver));
        }
        return model;
    }

    private static ScopeProfiles ScopeProfiles(Wire.ScopeProfiles wire, string path, DictionaryResolver resolver)
    {
        var model = new ScopeProfiles { SchemaUrl = wire.SchemaUrl, Profiles = new List<Profile>(wire.Profiles.Count) };
        if (wire.Scope is { } scope)
        {
            var modelScope = new InstrumentationScope
            {
                Name = scope.Name,
                Version = scope.Version,
                DroppedAttributesCount = scope.DroppedAttributesCount,
                Attributes = new List<KeyValue>(scope.Attributes.Count),
            };
            for (var i = 0; i < scope.Attributes.Count; i++)
            {
                modelScope.Attributes.Add(resolver.KeyValue(scope.Attributes[i], $"{path}.scope.attributes[{i}]"));
            }
            model.Scope = modelScope;
        }
        for (var i = 0; i < wire.Profiles.Count; i++)
        {
            model.Profiles.Add(Profile(wire.Profiles[i], $"{path}.profiles[{i}]", resolver));
        }
        return model;
    }

    private static Profile Profile(Wire.Profile wire, string path, DictionaryResolver resolver)
    {
        var model = new Profile
        {
            SampleType = wire.SampleType is null ? null : resolver.ValueType(wire.SampleType, path + ".sampleType"),
            Samples = new List<Sample>(wire.Samples.Count),
            TimeUnixNano = wire.TimeUnixNano,
            DurationNano = wire.DurationNano,
            PeriodType = wire.PeriodType is null ? null : resolver.ValueType(wire.PeriodType, path + ".periodType"),
            Period = wire.Period,
            ProfileId = DictionaryResolver.ToImmutable(wire.ProfileId),
            DroppedAttributesCount = wire.DroppedAttributesCount,
            OriginalPayloadFormat = wire.OriginalPayloadFormat,
            OriginalPayload = DictionaryResolver.ToImmutable(wire.OriginalPayload),
            Attributes = resolver.Attributes(wire.AttributeIndices, path),
        };
        for (var i = 0; i < wire.Samples.Count; i++) model.Samples.Add(Sample(wire.Samples[i], path, i, resolver));
        return model;
    }

    /// <summary>Hot path: the sample's path is only spelled out when an index is out of range.</summary>
    private static Sample Sample(Wire.Sample wire, string profilePath, int index, DictionaryResolver resolver)
    {
        if (!resolver.TryStack(wire.StackIndex, out var stack))
        {
            throw resolver.OutOfRange($"{profilePath}.samples[{index}].stackIndex", wire.StackIndex, DictionaryTable.Stack);
        }
        if (!resolver.TryLink(wire.LinkIndex, out var link))
        {
            throw resolver.OutOfRange($"{profilePath}.samples[{index}].linkIndex", wire.LinkIndex, DictionaryTable.Link);
        }
        if (!resolver.TryAttributes(wire.AttributeIndices, out var attributes, out var failedAt))
        {
            throw resolver.OutOfRange($"{profilePath}.samples[{index}].attributeIndices[{failedAt}]", wire.AttributeIndices[failedAt], DictionaryTable.Attribute);
        }
        var sample = new Sample(stack)
        {
            Attributes = attributes,
            Link = link,
            Values = new List<long>(wire.Values.Count),
            TimestampsUnixNano = new List<ulong>(wire.TimestampsUnixNano.Count),
        };
        sample.Values.AddRange(wire.Values);
        sample.TimestampsUnixNano.AddRange(wire.TimestampsUnixNano);
        return sample;
    }
}
