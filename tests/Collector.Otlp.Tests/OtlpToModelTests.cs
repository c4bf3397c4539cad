using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;

namespace Collector.Otlp.Tests;

public class OtlpToModelTests
{
    [Fact]
    public void Decodes_the_corpus_into_the_model_it_came_from()
    {
        var batch = OtlpToModel.ToBatch(OtlpCorpus.Request());

        var original = OtlpCorpus.Batch();
        Assert.Equal(2, batch.ResourceProfiles.Count);
        var resource = batch.ResourceProfiles[0].Resource!;
        Assert.Equal(original.ResourceProfiles[0].Resource!.Attributes, resource.Attributes);
        Assert.Equal(original.ResourceProfiles[0].Resource!.EntityRefs, resource.EntityRefs);
        var profile = batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];
        var originalProfile = original.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];
        Assert.Equal(originalProfile.Attributes.ToArray(), profile.Attributes.ToArray());
        Assert.Equal(originalProfile.ProfileId.ToArray(), profile.ProfileId.ToArray());
        Assert.Equal(originalProfile.OriginalPayload.ToArray(), profile.OriginalPayload.ToArray());
        for (var i = 0; i < originalProfile.Samples.Count; i++)
        {
            Assert.Equal(originalProfile.Samples[i].Stack, profile.Samples[i].Stack);
            Assert.Equal(originalProfile.Samples[i].Link, profile.Samples[i].Link);
            Assert.Equal(originalProfile.Samples[i].Attributes.ToArray(), profile.Samples[i].Attributes.ToArray());
            Assert.Equal(originalProfile.Samples[i].Values, profile.Samples[i].Values);
            Assert.Equal(originalProfile.Samples[i].TimestampsUnixNano, profile.Samples[i].TimestampsUnixNano);
        }
        Assert.Equal(OtlpCorpus.LeafFunction, profile.Samples[0].Stack.Locations[0].Lines[0].Function!.Name);
        Assert.Null(batch.ResourceProfiles[1].Resource);
        Assert.Null(batch.ResourceProfiles[1].ScopeProfiles[0].Scope);
        Assert.Null(batch.ResourceProfiles[1].ScopeProfiles[0].Profiles[0].SampleType);
    }

    [Fact]
    public void One_model_instance_per_table_entry()
    {
        var batch = OtlpToModel.ToBatch(OtlpCorpus.Request());

        var first = batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0].Stack;
        var again = batch.ResourceProfiles[1].ScopeProfiles[0].Profiles[0].Samples[0].Stack;
        Assert.Same(first, again);
        var inlined = first.Locations[1];
        var mixed = batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[1].Stack;
        Assert.Same(inlined, mixed.Locations[1]);
        Assert.Same(inlined.Mapping, mixed.Locations[2].Mapping);
    }

    [Fact]
    public void References_decode_as_references()
    {
        var resource = OtlpToModel.ToBatch(OtlpCorpus.Request()).ResourceProfiles[0].Resource!;

        var arch = resource.Attributes.Single(a => a.Key == "host.arch");
        Assert.True(arch.KeyByReference);
        Assert.True(arch.Value!.StringByReference);
        Assert.Equal("amd64", arch.Value.StringValue);
        Assert.False(resource.Attributes.Single(a => a.Key == "service.name").KeyByReference);
    }

    [Fact]
    public void A_missing_dictionary_is_fine_while_every_index_is_zero()
    {
        var profile = new Wire.Profile { SampleType = new Wire.ValueType() };
        profile.Samples.Add(new Wire.Sample { Values = { 3 }, AttributeIndices = { 0 } });
        var request = Request(profile);
        request.ResourceProfiles[0].Resource = new Collector.Otlp.Proto.Resource.Resource
        {
            Attributes = { new WireCommon.KeyValue { Key = "k", Value = new WireCommon.AnyValue { StringValueStrindex = 0 } } },
        };

        var batch = OtlpToModel.ToBatch(request);

        var sample = batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0];
        Assert.Same(Stack.Empty, sample.Stack);
        Assert.Null(sample.Link);
        Assert.Equal([new KeyValueAndUnit("", null)], sample.Attributes.ToArray());
        Assert.Equal(new Collector.Core.Model.ValueType("", ""), batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].SampleType);
        Assert.Equal(AnyValue.String("", byReference: true), batch.ResourceProfiles[0].Resource!.Attributes[0].Value);
    }

    public static TheoryData<string, Action<ExportProfilesServiceRequest>, string> OutOfRangeCases => new()
    {
        { "stack", r => Sample(r).StackIndex = 17, "resourceProfiles[0].scopeProfiles[0].profiles[0].samples[1].stackIndex: 17 is out of range (stackTable has 3 entries)" },
        { "negative stack", r => Sample(r).StackIndex = -1, "resourceProfiles[0].scopeProfiles[0].profiles[0].samples[1].stackIndex: -1 is out of range (stackTable has 3 entries)" },
        { "link", r => Sample(r).LinkIndex = 2, "resourceProfiles[0].scopeProfiles[0].profiles[0].samples[1].linkIndex: 2 is out of range (linkTable has 2 entries)" },
        { "sample attribute", r => Sample(r).AttributeIndices.Add(99), "resourceProfiles[0].scopeProfiles[0].profiles[0].samples[1].attributeIndices[3]: 99 is out of range (attributeTable has 11 entries)" },
        { "profile attribute", r => Profile(r).AttributeIndices.Insert(0, -5), "resourceProfiles[0].scopeProfiles[0].profiles[0].attributeIndices[0]: -5 is out of range (attributeTable has 11 entries)" },
        { "sample type", r => Profile(r).SampleType.UnitStrindex = 1000, "resourceProfiles[0].scopeProfiles[0].profiles[0].sampleType.unitStrindex: 1000 is out of range (stringTable has 34 entries)" },
        { "resource key", r => r.ResourceProfiles[0].Resource.Attributes[2].KeyStrindex = 34, "resourceProfiles[0].resource.attributes[2].keyStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "nested string", r => r.ResourceProfiles[0].Resource.Attributes[5].Value.ArrayValue.Values[9].KvlistValue.Values[0].Value.StringValueStrindex = 50,
            "resourceProfiles[0].resource.attributes[5].value.arrayValue.values[9].kvlistValue.values[0].value.stringValueStrindex: 50 is out of range (stringTable has 34 entries)" },
        { "scope key", r => r.ResourceProfiles[0].ScopeProfiles[0].Scope.Attributes[1].KeyStrindex = 77, "resourceProfiles[0].scopeProfiles[0].scope.attributes[1].keyStrindex: 77 is out of range (stringTable has 34 entries)" },
        { "stack location", r => r.Dictionary.StackTable[2].LocationIndices[1] = 9, "dictionary.stackTable[2].locationIndices[1]: 9 is out of range (locationTable has 5 entries)" },
        { "location mapping", r => r.Dictionary.LocationTable[3].MappingIndex = 3, "dictionary.locationTable[3].mappingIndex: 3 is out of range (mappingTable has 3 entries)" },
        { "line function", r => r.Dictionary.LocationTable[2].Lines[1].FunctionIndex = 5, "dictionary.locationTable[2].lines[1].functionIndex: 5 is out of range (functionTable has 5 entries)" },
        { "location attribute", r => r.Dictionary.LocationTable[1].AttributeIndices[0] = 11, "dictionary.locationTable[1].attributeIndices[0]: 11 is out of range (attributeTable has 11 entries)" },
        { "mapping filename", r => r.Dictionary.MappingTable[1].FilenameStrindex = -2, "dictionary.mappingTable[1].filenameStrindex: -2 is out of range (stringTable has 34 entries)" },
        { "mapping attribute", r => r.Dictionary.MappingTable[2].AttributeIndices[1] = 20, "dictionary.mappingTable[2].attributeIndices[1]: 20 is out of range (attributeTable has 11 entries)" },
        { "function name", r => r.Dictionary.FunctionTable[1].NameStrindex = 34, "dictionary.functionTable[1].nameStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "attribute unit", r => r.Dictionary.AttributeTable[1].UnitStrindex = 34, "dictionary.attributeTable[1].unitStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "attribute value", r => r.Dictionary.AttributeTable[1].Value = new WireCommon.AnyValue { StringValueStrindex = 60 }, "dictionary.attributeTable[1].value.stringValueStrindex: 60 is out of range (stringTable has 34 entries)" },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeCases))]
    public void Out_of_range_indices_are_named_by_path(string name, Action<ExportProfilesServiceRequest> breakIt, string message)
    {
        var request = OtlpCorpus.Request();
        breakIt(request);

        var error = Assert.Throws<OtlpFormatException>(() => OtlpToModel.ToBatch(request));

        Assert.True(error.Message == message, $"{name}: {error.Message}");
    }

    [Fact]
    public void Corpus_table_sizes_match_the_out_of_range_cases()
    {
        // The expected messages above quote the table sizes; this pins them so a corpus change fails here first.
        var dictionary = OtlpCorpus.Request().Dictionary;
        Assert.Equal((3, 5, 5, 2, 34, 11, 3), (dictionary.MappingTable.Count, dictionary.LocationTable.Count, dictionary.FunctionTable.Count,
            dictionary.LinkTable.Count, dictionary.StringTable.Count, dictionary.AttributeTable.Count, dictionary.StackTable.Count));
    }

    [Fact]
    public void An_absent_table_reports_zero_entries()
    {
        var profile = new Wire.Profile();
        profile.Samples.Add(new Wire.Sample { StackIndex = 1 });

        var error = Assert.Throws<OtlpFormatException>(() => OtlpToModel.ToBatch(Request(profile)));

        Assert.Equal("resourceProfiles[0].scopeProfiles[0].profiles[0].samples[0].stackIndex: 1 is out of range (stackTable has 0 entries)", error.Message);
    }

    private static Wire.Profile Profile(ExportProfilesServiceRequest request) => request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];

    private static Wire.Sample Sample(ExportProfilesServiceRequest request) => Profile(request).Samples[1];

    private static ExportProfilesServiceRequest Request(Wire.Profile profile)
    {
        var scope = new Wire.ScopeProfiles();
        scope.Profiles.Add(profile);
        var resource = new Wire.ResourceProfiles();
        resource.ScopeProfiles.Add(scope);
        var request = new ExportProfilesServiceRequest();
        request.ResourceProfiles.Add(resource);
        return request;
    }
}
