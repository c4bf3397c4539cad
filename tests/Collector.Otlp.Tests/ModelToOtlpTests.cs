using System.Collections.Immutable;
using Collector.Core.Model;
using Collector.Otlp;
using Google.Protobuf;
using Wire = Collector.Otlp.Proto.Profiles;

namespace Collector.Otlp.Tests;

public class ModelToOtlpTests
{
    [Fact]
    public void Every_table_starts_with_its_zero_value()
    {
        var dictionary = ModelToOtlp.ToRequest(new ProfileBatch()).Dictionary;

        Assert.Equal([""], dictionary.StringTable);
        Assert.Equal([new Wire.Mapping()], dictionary.MappingTable);
        Assert.Equal([new Wire.Location()], dictionary.LocationTable);
        Assert.Equal([new Wire.Function()], dictionary.FunctionTable);
        Assert.Equal([new Wire.KeyValueAndUnit()], dictionary.AttributeTable);
        Assert.Equal([new Wire.Stack()], dictionary.StackTable);
        var link = Assert.Single(dictionary.LinkTable);
        Assert.Equal(new byte[16], link.TraceId.ToByteArray());
        Assert.Equal(new byte[8], link.SpanId.ToByteArray());
    }

    [Fact]
    public void Sample_indices_resolve_to_the_model_values()
    {
        var request = OtlpCorpus.Request();
        var dictionary = request.Dictionary;
        var profile = request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];
        var sample = profile.Samples[0];

        // Walk the tables by hand, independently of the decoder.
        var leaf = dictionary.LocationTable[dictionary.StackTable[sample.StackIndex].LocationIndices[0]];
        var function = dictionary.FunctionTable[leaf.Lines[0].FunctionIndex];
        Assert.Equal(OtlpCorpus.LeafFunction, dictionary.StringTable[function.NameStrindex]);
        Assert.Equal(245, function.StartLine);
        Assert.Equal(250, leaf.Lines[0].Line_);
        Assert.Equal(0x7f00_0001_2345UL, leaf.Address);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", dictionary.StringTable[dictionary.MappingTable[leaf.MappingIndex].FilenameStrindex]);
        Assert.Equal(OtlpCorpus.TraceId.ToArray(), dictionary.LinkTable[sample.LinkIndex].TraceId.ToByteArray());
        Assert.Equal([2L, 1L], sample.Values);
        Assert.Equal([OtlpCorpus.TimeUnixNano + 10, OtlpCorpus.TimeUnixNano + 20], sample.TimestampsUnixNano);
        var threadName = dictionary.AttributeTable[sample.AttributeIndices[1]];
        Assert.Equal("thread.name", dictionary.StringTable[threadName.KeyStrindex]);
        Assert.Equal("worker-1", threadName.Value.StringValue);
        Assert.Equal("samples", dictionary.StringTable[profile.SampleType.TypeStrindex]);
        Assert.Equal("nanoseconds", dictionary.StringTable[profile.PeriodType.UnitStrindex]);
        Assert.Equal(OtlpCorpus.ProfileId.ToArray(), profile.ProfileId.ToByteArray());
    }

    [Fact]
    public void Absent_and_empty_references_map_to_index_zero()
    {
        var sample = new Sample(Stack.Empty) { Link = new Link([], []), Values = { 1 } };
        var location = new Location(null, 0x10, [new Line(null, 3)]);
        var other = new Sample(new Stack([location])) { Values = { 1 } };
        var batch = Batch(new Profile { Samples = { sample, other } });

        var request = ModelToOtlp.ToRequest(batch);

        var wire = request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];
        Assert.Equal(0, wire.Samples[0].StackIndex);
        Assert.Equal(0, wire.Samples[0].LinkIndex);
        var wireLocation = request.Dictionary.LocationTable[request.Dictionary.StackTable[wire.Samples[1].StackIndex].LocationIndices[0]];
        Assert.Equal(0, wireLocation.MappingIndex);
        Assert.Equal(0, wireLocation.Lines[0].FunctionIndex);
        Assert.Single(request.Dictionary.LinkTable);
        Assert.Single(request.Dictionary.MappingTable);
        Assert.Single(request.Dictionary.FunctionTable);
    }

    [Fact]
    public void Values_equal_to_a_zero_value_share_index_zero()
    {
        var zeroMapping = new Mapping(0, 0, 0, "");
        var location = new Location(zeroMapping, 0x20, [new Line(new Function(""))]);
        var zeroLink = new Link(new byte[16].ToImmutableArray(), new byte[8].ToImmutableArray());
        var batch = Batch(new Profile
        {
            Samples = { new Sample(new Stack([location, new Location(null, 0)])) { Link = zeroLink, Attributes = [new KeyValueAndUnit("", null)], Values = { 1 } } },
        });

        var request = ModelToOtlp.ToRequest(batch);

        var dictionary = request.Dictionary;
        Assert.Single(dictionary.MappingTable);
        Assert.Single(dictionary.FunctionTable);
        Assert.Single(dictionary.LinkTable);
        Assert.Single(dictionary.AttributeTable);
        Assert.Equal(2, dictionary.LocationTable.Count);
        Assert.Equal([1, 0], dictionary.StackTable[1].LocationIndices);
        Assert.Equal([0], request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0].AttributeIndices);
    }

    [Fact]
    public void Equal_entities_are_stored_once_even_when_they_are_different_instances()
    {
        Location MakeLocation() => new(new Mapping(1, 2, 3, "lib.so"), 0x40, [new Line(new Function("f", "f", "f.c", 1), 7)], [KeyValueAndUnit.Of("k", "v")]);
        var batch = Batch(new Profile
        {
            Samples =
            {
                new Sample(new Stack([MakeLocation()])) { Values = { 1 }, Attributes = [KeyValueAndUnit.Of("k", "v")] },
                new Sample(new Stack([MakeLocation()])) { Values = { 2 }, Attributes = [KeyValueAndUnit.Of("k", "v")] },
            },
        });

        var request = ModelToOtlp.ToRequest(batch);

        var dictionary = request.Dictionary;
        Assert.Equal(2, dictionary.StackTable.Count);
        Assert.Equal(2, dictionary.LocationTable.Count);
        Assert.Equal(2, dictionary.MappingTable.Count);
        Assert.Equal(2, dictionary.FunctionTable.Count);
        Assert.Equal(2, dictionary.AttributeTable.Count);
        Assert.Equal(["", "lib.so", "f", "f.c", "k"], dictionary.StringTable);
    }

    [Fact]
    public void Message_presence_follows_the_model()
    {
        var batch = new ProfileBatch
        {
            ResourceProfiles =
            {
                new ResourceProfiles { ScopeProfiles = { new ScopeProfiles { Profiles = { new Profile() } } } },
                new ResourceProfiles
                {
                    Resource = new Resource(),
                    ScopeProfiles = { new ScopeProfiles { Scope = new InstrumentationScope(), Profiles = { new Profile { SampleType = new("", ""), PeriodType = new("", "") } } } },
                },
            },
        };

        var request = ModelToOtlp.ToRequest(batch);

        var absent = request.ResourceProfiles[0];
        Assert.Null(absent.Resource);
        Assert.Null(absent.ScopeProfiles[0].Scope);
        Assert.Null(absent.ScopeProfiles[0].Profiles[0].SampleType);
        Assert.Null(absent.ScopeProfiles[0].Profiles[0].PeriodType);
        var empty = request.ResourceProfiles[1];
        Assert.NotNull(empty.Resource);
        Assert.NotNull(empty.ScopeProfiles[0].Scope);
        Assert.Equal(new Wire.ValueType(), empty.ScopeProfiles[0].Profiles[0].SampleType);
        Assert.Equal(new Wire.ValueType(), empty.ScopeProfiles[0].Profiles[0].PeriodType);
    }

    [Fact]
    public void References_are_kept_as_references()
    {
        var batch = Batch(new Profile(), new Resource
        {
            Attributes =
            {
                new KeyValue("by.ref", AnyValue.String("shared", byReference: true), KeyByReference: true),
                new KeyValue("inline", AnyValue.String("shared")),
                new KeyValue("absent", null),
            },
        });

        var request = ModelToOtlp.ToRequest(batch);

        var attributes = request.ResourceProfiles[0].Resource.Attributes;
        var strings = request.Dictionary.StringTable;
        Assert.Equal("", attributes[0].Key);
        Assert.Equal("by.ref", strings[attributes[0].KeyStrindex]);
        Assert.Equal("shared", strings[attributes[0].Value.StringValueStrindex]);
        Assert.Equal("inline", attributes[1].Key);
        Assert.Equal(0, attributes[1].KeyStrindex);
        Assert.Equal("shared", attributes[1].Value.StringValue);
        Assert.Null(attributes[2].Value);
    }

    [Fact]
    public void Each_export_carries_its_own_dictionary()
    {
        var first = ModelToOtlp.ToRequest(OtlpCorpus.Batch());
        var unrelated = Batch(new Profile { Samples = { new Sample(new Stack([new Location(null, 1)])) { Values = { 1 } } } });
        ModelToOtlp.ToRequest(unrelated);
        var second = ModelToOtlp.ToRequest(OtlpCorpus.Batch());

        Assert.Equal(first, second);
        Assert.Equal(first.ToByteArray(), second.ToByteArray());
    }

    [Fact]
    public void Raw_samples_follow_the_batch_own_profiles()
    {
        var batch = Batch(new Profile { Samples = { new Sample(Stack.Empty) { Values = { 1 } } } });
        ulong[] frames = [0xffff_0001, 0x1000, 0x2000];
        batch.Raw = new RawSampleSet
        {
            BootTimeUnixNano = 1_000,
            PeriodNanos = 50_000_000,
            Samples = { new RawSample(77, 78, 0, 5, "job", frames.AsMemory(0, 1), frames.AsMemory(1)) },
        };

        var request = ModelToOtlp.ToRequest(batch);

        Assert.Equal(2, request.ResourceProfiles.Count);
        var raw = request.ResourceProfiles[1];
        Assert.Equal("process.pid", raw.Resource.Attributes[0].Key);
        Assert.Equal(77, raw.Resource.Attributes[0].Value.IntValue);
        var dictionary = request.Dictionary;
        var sample = raw.ScopeProfiles[0].Profiles[0].Samples[0];
        Assert.Equal([1_005UL], sample.TimestampsUnixNano);
        var addresses = dictionary.StackTable[sample.StackIndex].LocationIndices.Select(i => dictionary.LocationTable[i].Address);
        Assert.Equal([0xffff_0001UL, 0x1000, 0x2000], addresses);
        Assert.Empty(ExportValidator.Validate(request));
    }

    private static ProfileBatch Batch(Profile profile, Resource? resource = null) => new()
    {
        ResourceProfiles = { new ResourceProfiles { Resource = resource, ScopeProfiles = { new ScopeProfiles { Profiles = { profile } } } } },
    };
}
