using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;

namespace Collector.Otlp.Tests;

public class ExportValidatorTests
{
    private const string SamplePath = "resourceProfiles[0].scopeProfiles[0].profiles[0].samples[1]";

    [Fact]
    public void The_corpus_is_self_contained() => Assert.Empty(ExportValidator.Validate(OtlpCorpus.Request()));

    [Theory]
    [MemberData(nameof(ProtoRoundTripTests.Seeds), MemberType = typeof(ProtoRoundTripTests))]
    public void Every_export_of_random_batches_is_self_contained(int seed)
    {
        var generator = new RandomBatches(seed);
        for (var i = 0; i < 50; i++) Assert.Empty(ExportValidator.Validate(ModelToOtlp.ToRequest(generator.Next())));
    }

    [Fact]
    public void Required_checks_leave_out_duplicates_and_orphans_but_keep_every_must()
    {
        var request = OtlpCorpus.Request();
        request.Dictionary.StringTable.Add("samples");
        request.Dictionary.StringTable.Add("unused");
        // The duplicate is also unreferenced: three findings, all of the kind OTLP only discourages.
        var all = ExportValidator.Validate(request);
        Assert.Equal(3, all.Count);
        Assert.All(all, p => Assert.Matches("duplicate of|not referenced", p));
        Assert.Empty(ExportValidator.ValidateRequired(request));

        request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0].StackIndex = 99;
        var problem = Assert.Single(ExportValidator.ValidateRequired(request));
        Assert.EndsWith(".stackIndex: 99 is out of range (stackTable has 3 entries)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_link_ids_are_an_accepted_zero_link()
    {
        var request = OtlpCorpus.Request();
        request.Dictionary.LinkTable[0] = new Wire.Link();

        Assert.Empty(ExportValidator.Validate(request));
    }

    [Fact]
    public void A_missing_dictionary_is_reported_once_when_every_index_is_zero()
    {
        var request = OtlpJsonTests.Request(new Wire.Profile { Samples = { new Wire.Sample { Values = { 1 } } } });

        Assert.Equal(["dictionary: missing; index 0 of every table must hold the zero value"], ExportValidator.Validate(request));
    }

    [Fact]
    public void An_empty_table_is_reported()
    {
        var request = ModelToOtlp.ToRequest(new ProfileBatch());
        request.Dictionary.StackTable.Clear();

        Assert.Equal(["dictionary.stackTable: empty; index 0 must hold the zero value"], ExportValidator.Validate(request));
    }

    public static TheoryData<string, Action<ExportProfilesServiceRequest>, string> BrokenRequests => new()
    {
        // Index 0 holds the zero value.
        { "zero mapping", r => r.Dictionary.MappingTable[0].MemoryStart = 1, "dictionary.mappingTable[0]: not the zero value" },
        { "zero location", r => r.Dictionary.LocationTable[0].Address = 1, "dictionary.locationTable[0]: not the zero value" },
        { "zero function", r => r.Dictionary.FunctionTable[0].StartLine = 1, "dictionary.functionTable[0]: not the zero value" },
        { "zero link", r => r.Dictionary.LinkTable[0].SpanId = Google.Protobuf.ByteString.CopyFrom(1, 0, 0, 0, 0, 0, 0, 0), "dictionary.linkTable[0]: not the zero value" },
        { "zero string", r => r.Dictionary.StringTable[0] = "x", "dictionary.stringTable[0]: not the zero value" },
        { "zero attribute", r => r.Dictionary.AttributeTable[0].Value = new WireCommon.AnyValue(), "dictionary.attributeTable[0]: not the zero value" },
        { "zero stack", r => r.Dictionary.StackTable[0].LocationIndices.Add(0), "dictionary.stackTable[0]: not the zero value" },

        // Every index in range.
        { "stack index", r => Sample(r).StackIndex = 3, $"{SamplePath}.stackIndex: 3 is out of range (stackTable has 3 entries)" },
        { "link index", r => Sample(r).LinkIndex = -1, $"{SamplePath}.linkIndex: -1 is out of range (linkTable has 2 entries)" },
        { "sample attribute", r => Sample(r).AttributeIndices.Add(11), $"{SamplePath}.attributeIndices[3]: 11 is out of range (attributeTable has 11 entries)" },
        { "profile attribute", r => Profile(r).AttributeIndices.Add(40), "resourceProfiles[0].scopeProfiles[0].profiles[0].attributeIndices[2]: 40 is out of range (attributeTable has 11 entries)" },
        { "value type", r => Profile(r).PeriodType.TypeStrindex = 34, "resourceProfiles[0].scopeProfiles[0].profiles[0].periodType.typeStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "location index", r => r.Dictionary.StackTable[2].LocationIndices.Add(5), "dictionary.stackTable[2].locationIndices[3]: 5 is out of range (locationTable has 5 entries)" },
        { "mapping index", r => r.Dictionary.LocationTable[3].MappingIndex = 3, "dictionary.locationTable[3].mappingIndex: 3 is out of range (mappingTable has 3 entries)" },
        { "function index", r => r.Dictionary.LocationTable[2].Lines.Add(new Wire.Line { FunctionIndex = 5 }), "dictionary.locationTable[2].lines[2].functionIndex: 5 is out of range (functionTable has 5 entries)" },
        { "location attribute", r => r.Dictionary.LocationTable[1].AttributeIndices.Add(-3), "dictionary.locationTable[1].attributeIndices[1]: -3 is out of range (attributeTable has 11 entries)" },
        { "mapping attribute", r => r.Dictionary.MappingTable[1].AttributeIndices.Add(12), "dictionary.mappingTable[1].attributeIndices[1]: 12 is out of range (attributeTable has 11 entries)" },
        { "mapping filename", r => r.Dictionary.MappingTable[1].FilenameStrindex = 99, "dictionary.mappingTable[1].filenameStrindex: 99 is out of range (stringTable has 34 entries)" },
        { "function name", r => r.Dictionary.FunctionTable[2].NameStrindex = 34, "dictionary.functionTable[2].nameStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "function system name", r => r.Dictionary.FunctionTable[2].SystemNameStrindex = 35, "dictionary.functionTable[2].systemNameStrindex: 35 is out of range (stringTable has 34 entries)" },
        { "function filename", r => r.Dictionary.FunctionTable[2].FilenameStrindex = -1, "dictionary.functionTable[2].filenameStrindex: -1 is out of range (stringTable has 34 entries)" },
        { "attribute key", r => r.Dictionary.AttributeTable[3].KeyStrindex = 34, "dictionary.attributeTable[3].keyStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "attribute unit", r => r.Dictionary.AttributeTable[3].UnitStrindex = 34, "dictionary.attributeTable[3].unitStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "attribute value string", r => r.Dictionary.AttributeTable[3].Value = ArrayOf(new WireCommon.AnyValue { StringValueStrindex = 34 }),
            "dictionary.attributeTable[3].value.arrayValue.values[0].stringValueStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "resource key", r => r.ResourceProfiles[0].Resource.Attributes.Add(new WireCommon.KeyValue { KeyStrindex = 50 }), "resourceProfiles[0].resource.attributes[7].keyStrindex: 50 is out of range (stringTable has 34 entries)" },
        { "nested string", r => r.ResourceProfiles[0].Resource.Attributes[5].Value.ArrayValue.Values[8].ArrayValue.Values.Add(new WireCommon.AnyValue { StringValueStrindex = 34 }),
            "resourceProfiles[0].resource.attributes[5].value.arrayValue.values[8].arrayValue.values[2].stringValueStrindex: 34 is out of range (stringTable has 34 entries)" },
        { "scope kvlist key", r => r.ResourceProfiles[0].ScopeProfiles[0].Scope.Attributes.Add(new WireCommon.KeyValue { Key = "m", Value = KvList(new WireCommon.KeyValue { KeyStrindex = 40 }) }),
            "resourceProfiles[0].scopeProfiles[0].scope.attributes[2].value.kvlistValue.values[0].keyStrindex: 40 is out of range (stringTable has 34 entries)" },

        // No duplicates.
        { "duplicate function", r => Duplicate(r.Dictionary.FunctionTable, 2, f => r.Dictionary.LocationTable[2].Lines.Add(new Wire.Line { FunctionIndex = f })), "dictionary.functionTable[5]: duplicate of functionTable[2]" },
        { "duplicate mapping", r => Duplicate(r.Dictionary.MappingTable, 1, m => r.Dictionary.LocationTable[3].MappingIndex = m), "dictionary.mappingTable[3]: duplicate of mappingTable[1]" },
        { "duplicate location", r => Duplicate(r.Dictionary.LocationTable, 4, l => r.Dictionary.StackTable[1].LocationIndices.Add(l)), "dictionary.locationTable[5]: duplicate of locationTable[4]" },
        { "duplicate stack", r => Duplicate(r.Dictionary.StackTable, 1, s => Sample(r).StackIndex = s), "dictionary.stackTable[3]: duplicate of stackTable[1]" },
        { "duplicate link", r => Duplicate(r.Dictionary.LinkTable, 1, l => Sample(r).LinkIndex = l), "dictionary.linkTable[2]: duplicate of linkTable[1]" },
        { "duplicate attribute", r => Duplicate(r.Dictionary.AttributeTable, 3, a => Profile(r).AttributeIndices.Add(a)), "dictionary.attributeTable[11]: duplicate of attributeTable[3]" },
        { "duplicate string", r => r.Dictionary.StringTable.Add("samples"), "dictionary.stringTable[34]: duplicate of stringTable[6]" },
        { "duplicate zero value", r => r.Dictionary.StackTable.Add(new Wire.Stack()), "dictionary.stackTable[3]: duplicate of stackTable[0]" },

        // No orphans.
        { "orphan string", r => r.Dictionary.StringTable.Add("unused"), "dictionary.stringTable[34]: not referenced" },
        { "orphan link", r => r.Dictionary.LinkTable.Add(new Wire.Link { TraceId = Google.Protobuf.ByteString.CopyFrom(new byte[15]) }), "dictionary.linkTable[2]: not referenced" },
        { "orphan stack", r => r.Dictionary.StackTable.Add(new Wire.Stack { LocationIndices = { 1 } }), "dictionary.stackTable[3]: not referenced" },
        { "orphan attribute", r => r.Dictionary.AttributeTable.Add(new Wire.KeyValueAndUnit { KeyStrindex = 1 }), "dictionary.attributeTable[11]: not referenced" },

        // One key per attribute list; key or key_strindex, not both.
        { "repeated sample key", r => Sample(r).AttributeIndices.Add(Sample(r).AttributeIndices[0]), $"{SamplePath}.attributeIndices[3]: key \"thread.id\" already appears earlier in the list" },
        { "repeated location key", r => r.Dictionary.LocationTable[1].AttributeIndices.Add(RefTo(r, "profile.frame.type", "kernel")),
            "dictionary.locationTable[1].attributeIndices[1]: key \"profile.frame.type\" already appears earlier in the list" },
        { "both keys", r => r.ResourceProfiles[0].Resource.Attributes[0].KeyStrindex = 2, "resourceProfiles[0].resource.attributes[0]: both key and keyStrindex are set" },
        { "both keys nested", r => r.Dictionary.AttributeTable[3].Value = KvList(new WireCommon.KeyValue { Key = "a", KeyStrindex = 1 }),
            "dictionary.attributeTable[3].value.kvlistValue.values[0]: both key and keyStrindex are set" },
    };

    [Theory]
    [MemberData(nameof(BrokenRequests))]
    public void Reports_each_broken_rule_by_path(string rule, Action<ExportProfilesServiceRequest> breakIt, string expected)
    {
        var request = OtlpCorpus.Request();
        breakIt(request);

        var problems = ExportValidator.Validate(request);

        Assert.True(problems.Contains(expected), $"{rule}: expected \"{expected}\" in:\n{string.Join("\n", problems)}");
        // Anything else may only be what the break left unreferenced (the entries the bad index used to reach).
        Assert.All(problems.Where(p => p != expected), p => Assert.EndsWith(": not referenced", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Entries_reachable_only_from_orphans_are_orphans_too()
    {
        var request = OtlpCorpus.Request();
        var dictionary = request.Dictionary;
        dictionary.StringTable.Add("only.here");
        dictionary.FunctionTable.Add(new Wire.Function { NameStrindex = 34 });
        dictionary.LocationTable.Add(new Wire.Location { Address = 9, Lines = { new Wire.Line { FunctionIndex = 5 } } });

        Assert.Equal(["dictionary.locationTable[5]: not referenced", "dictionary.functionTable[5]: not referenced", "dictionary.stringTable[34]: not referenced"],
            ExportValidator.Validate(request));
    }

    [Fact]
    public void An_out_of_range_index_is_reported_once()
    {
        var request = OtlpCorpus.Request();
        request.Dictionary.StackTable[2].LocationIndices.Add(5);

        Assert.Equal(["dictionary.stackTable[2].locationIndices[3]: 5 is out of range (locationTable has 5 entries)"], ExportValidator.Validate(request));
    }

    [Fact]
    public void A_repeated_key_in_a_long_list_is_reported_at_each_repetition()
    {
        var request = OtlpCorpus.Request();
        var indices = Sample(request).AttributeIndices;
        var first = indices[0];
        // Past the length up to which keys are compared pairwise: the set takes over, with the same findings.
        for (var i = 0; i < 12; i++) indices.Add(first);

        var problems = ExportValidator.ValidateRequired(request);

        Assert.Equal(Enumerable.Range(3, 12).Select(i => $"{SamplePath}.attributeIndices[{i}]: key \"thread.id\" already appears earlier in the list"), problems);
    }

    [Fact]
    public void Validating_a_valid_export_allocates_nothing_per_sample()
    {
        static ExportProfilesServiceRequest WithSamples(int count)
        {
            var request = OtlpCorpus.Request();
            var samples = Profile(request).Samples;
            var template = samples[1];
            while (samples.Count < count) samples.Add(template.Clone());
            return request;
        }
        static long Allocated(ExportProfilesServiceRequest request)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Empty(ExportValidator.ValidateRequired(request));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var small = WithSamples(10);
        var large = WithSamples(10_010);
        Allocated(small);
        Allocated(large);

        // Paths of fields are spelled out only for a problem: ten thousand more samples, no more garbage. The least of
        // three differences: the runtime may allocate on this thread for its own reasons (tiering) during one of them,
        // while a single allocation per sample would add at least 240 KB to every one.
        var extra = Enumerable.Range(0, 3).Min(_ => Allocated(large) - Allocated(small));
        Assert.InRange(extra, -1024, 1024);
    }

    private static Wire.Profile Profile(ExportProfilesServiceRequest request) => request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];

    private static Wire.Sample Sample(ExportProfilesServiceRequest request) => Profile(request).Samples[1];

    /// <summary>Appends a copy of entry <paramref name="index"/> and lets the caller reference it, so only the duplicate rule breaks.</summary>
    private static void Duplicate<T>(Google.Protobuf.Collections.RepeatedField<T> table, int index, Action<int> reference)
        where T : Google.Protobuf.IDeepCloneable<T>
    {
        table.Add(table[index].Clone());
        reference(table.Count - 1);
    }

    private static int RefTo(ExportProfilesServiceRequest request, string key, string value)
    {
        var strings = request.Dictionary.StringTable;
        var attributes = request.Dictionary.AttributeTable;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (strings[attributes[i].KeyStrindex] == key && attributes[i].Value?.StringValue == value) return i;
        }
        throw new InvalidOperationException($"no attribute {key}={value} in the corpus");
    }

    private static WireCommon.AnyValue ArrayOf(WireCommon.AnyValue item) => new() { ArrayValue = new WireCommon.ArrayValue { Values = { item } } };

    private static WireCommon.AnyValue KvList(WireCommon.KeyValue item) => new() { KvlistValue = new WireCommon.KeyValueList { Values = { item } } };
}
