using System.Text;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;

namespace Collector.Otlp.Tests;

public class OtlpJsonTests
{
    [Fact]
    public void Writes_the_otlp_json_forms()
    {
        var profile = new Wire.Profile
        {
            SampleType = new Wire.ValueType { TypeStrindex = 1, UnitStrindex = 2 },
            TimeUnixNano = 1_700_000_000_000_000_001,
            PeriodType = new Wire.ValueType(),
            Period = -10,
            ProfileId = ByteString.CopyFrom(0x0a, 0xb0, 0xff, 0x01),
            OriginalPayload = ByteString.CopyFrom(0xfb, 0xff),
            AttributeIndices = { 1 },
        };
        profile.Samples.Add(new Wire.Sample { StackIndex = 1, AttributeIndices = { 1, 0 }, Values = { -3 }, TimestampsUnixNano = { ulong.MaxValue } });
        var request = Request(profile);
        request.ResourceProfiles[0].Resource = new Collector.Otlp.Proto.Resource.Resource
        {
            Attributes =
            {
                new WireCommon.KeyValue { Key = "i", Value = new WireCommon.AnyValue { IntValue = 0 } },
                new WireCommon.KeyValue { KeyStrindex = 3, Value = new WireCommon.AnyValue { StringValueStrindex = 0 } },
                new WireCommon.KeyValue { Key = "d", Value = new WireCommon.AnyValue { DoubleValue = double.NegativeInfinity } },
                new WireCommon.KeyValue { Key = "e", Value = new WireCommon.AnyValue() },
                new WireCommon.KeyValue { Key = "n" },
                new WireCommon.KeyValue { Key = "b", Value = new WireCommon.AnyValue { BytesValue = ByteString.CopyFromUtf8("hi") } },
                new WireCommon.KeyValue { Key = "a", Value = new WireCommon.AnyValue { ArrayValue = new WireCommon.ArrayValue { Values = { new WireCommon.AnyValue { BoolValue = false }, new WireCommon.AnyValue { DoubleValue = 0.5 } } } } },
            },
        };
        request.Dictionary = new Wire.ProfilesDictionary { StringTable = { "", "samples", "count", "k\"ü" } };
        request.Dictionary.LinkTable.Add(new Wire.Link { TraceId = ByteString.CopyFrom(new byte[16]), SpanId = ByteString.CopyFrom(0xAB, 0xCD, 0, 0, 0, 0, 0, 1) });
        request.Dictionary.MappingTable.Add(new Wire.Mapping());

        var json = Encoding.UTF8.GetString(OtlpJson.Serialize(request));

        // Written with ' for " to stay readable.
        var expected = (
            "{'resourceProfiles':[{'resource':{'attributes':[{'key':'i','value':{'intValue':'0'}},{'value':{'stringValueStrindex':0},'keyStrindex':3}," +
            "{'key':'d','value':{'doubleValue':'-Infinity'}},{'key':'e','value':{}},{'key':'n'},{'key':'b','value':{'bytesValue':'aGk='}}," +
            "{'key':'a','value':{'arrayValue':{'values':[{'boolValue':false},{'doubleValue':0.5}]}}}]}," +
            "'scopeProfiles':[{'profiles':[{'sampleType':{'typeStrindex':1,'unitStrindex':2}," +
            "'samples':[{'stackIndex':1,'attributeIndices':[1,0],'values':['-3'],'timestampsUnixNano':['18446744073709551615']}]," +
            "'timeUnixNano':'1700000000000000001','periodType':{},'period':'-10','profileId':'0ab0ff01','originalPayload':'+/8=','attributeIndices':[1]}]}]}]," +
            "'dictionary':{'mappingTable':[{}],'linkTable':[{'traceId':'00000000000000000000000000000000','spanId':'abcd000000000001'}],'stringTable':['','samples','count','k\\'ü']}}")
            .Replace('\'', '"');
        Assert.Equal(expected, json);
    }

    [Fact]
    public void Corpus_survives_json_to_model_to_json()
    {
        var json = OtlpJson.Serialize(OtlpCorpus.Request());

        var again = OtlpJson.Serialize(ModelToOtlp.ToRequest(OtlpToModel.ToBatch(OtlpJson.Parse(json))));

        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(again));
    }

    [Fact]
    public void Corpus_request_survives_json()
    {
        var request = OtlpCorpus.Request();

        var parsed = OtlpJson.Parse(OtlpJson.Serialize(request));

        Assert.Equal(request, parsed);
        Assert.Equal(request.ToByteArray(), parsed.ToByteArray());
    }

    [Theory]
    [MemberData(nameof(ProtoRoundTripTests.Seeds), MemberType = typeof(ProtoRoundTripTests))]
    public void Random_requests_survive_json(int seed)
    {
        var generator = new RandomBatches(seed);
        for (var i = 0; i < 20; i++)
        {
            var request = ModelToOtlp.ToRequest(generator.Next());
            var json = OtlpJson.Serialize(request);

            var parsed = OtlpJson.Parse(json);

            Assert.Equal(request, parsed);
            Assert.Equal(json, OtlpJson.Serialize(ModelToOtlp.ToRequest(OtlpToModel.ToBatch(parsed))));
        }
    }

    [Fact]
    public void Keys_are_the_descriptor_json_names()
    {
        // Every field is set somewhere in the corpus, so every field's JSON name must appear as a key.
        var json = Encoding.UTF8.GetString(OtlpJson.Serialize(OtlpCorpus.Request()));

        foreach (var field in CorpusCoverageTests.ReachableMessages(ExportProfilesServiceRequest.Descriptor).SelectMany(m => m.Fields.InFieldNumberOrder()))
        {
            Assert.Contains($"\"{field.JsonName}\":", json, StringComparison.Ordinal);
            if (field.JsonName != field.Name) Assert.DoesNotContain($"\"{field.Name}\":", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Output_is_one_compact_object()
    {
        var json = OtlpJson.Serialize(OtlpCorpus.Request());

        Assert.Equal((byte)'{', json[0]);
        Assert.Equal((byte)'}', json[^1]);
        Assert.DoesNotContain((byte)'\n', json);
        Assert.Equal("{}", Encoding.UTF8.GetString(OtlpJson.Serialize(new ExportProfilesServiceRequest())));
    }

    [Fact]
    public void Doubles_keep_their_bits()
    {
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 0.1, 1e-300];
        var attributes = new WireCommon.ArrayValue();
        foreach (var value in values) attributes.Values.Add(new WireCommon.AnyValue { DoubleValue = value });
        var request = Request(new Wire.Profile());
        request.ResourceProfiles[0].Resource = new Collector.Otlp.Proto.Resource.Resource
        {
            Attributes = { new WireCommon.KeyValue { Key = "d", Value = new WireCommon.AnyValue { ArrayValue = attributes } } },
        };

        var parsed = OtlpJson.Parse(OtlpJson.Serialize(request));

        var read = parsed.ResourceProfiles[0].Resource.Attributes[0].Value.ArrayValue.Values.Select(v => BitConverter.DoubleToInt64Bits(v.DoubleValue));
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), read);
    }

    internal static ExportProfilesServiceRequest Request(Wire.Profile profile)
    {
        var scope = new Wire.ScopeProfiles();
        scope.Profiles.Add(profile);
        var resource = new Wire.ResourceProfiles();
        resource.ScopeProfiles.Add(scope);
        var request = new ExportProfilesServiceRequest();
        request.ResourceProfiles.Add(resource);
        return request;
    }

    [Fact]
    public void SerializeLine_is_the_object_followed_by_one_line_feed()
    {
        var request = ModelToOtlp.ToRequest(OtlpCorpus.Batch());

        var line = OtlpJson.SerializeLine(request);

        Assert.Equal([.. OtlpJson.Serialize(request), (byte)'\n'], line);
        Assert.Equal(request, OtlpJson.Parse(line.AsSpan(0, line.Length - 1)));
    }
}
