using System.Text;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Otlp.Tests;

public class OtlpJsonReaderTests
{
    [Fact]
    public void Accepts_snake_case_names()
    {
        var request = Parse(
            "{'resource_profiles':[{'schema_url':'s','scope_profiles':[{'profiles':[{'sample_type':{'type_strindex':1,'unit_strindex':2}," +
            "'time_unix_nano':'5','duration_nano':6,'period_type':{},'profile_id':'0102','dropped_attributes_count':1,'original_payload_format':'f'," +
            "'original_payload':'AQ==','attribute_indices':[1],'samples':[{'stack_index':1,'attribute_indices':[2],'link_index':1,'timestamps_unix_nano':['7']}]}]}]}]," +
            "'dictionary':{'string_table':['','a'],'mapping_table':[{'memory_start':1,'memory_limit':2,'file_offset':3,'filename_strindex':1}]," +
            "'location_table':[{'mapping_index':1,'attribute_indices':[1]}],'function_table':[{'name_strindex':1,'system_name_strindex':1,'start_line':9}]," +
            "'link_table':[{'trace_id':'00','span_id':'01'}],'attribute_table':[{'key_strindex':1,'unit_strindex':1}],'stack_table':[{'location_indices':[0]}]}}");

        var profile = request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];
        Assert.Equal("s", request.ResourceProfiles[0].SchemaUrl);
        Assert.Equal(2, profile.SampleType.UnitStrindex);
        Assert.Equal((5UL, 6UL, "f"), (profile.TimeUnixNano, profile.DurationNano, profile.OriginalPayloadFormat));
        Assert.Equal([1, 2], profile.ProfileId.ToByteArray());
        Assert.Equal([7UL], profile.Samples[0].TimestampsUnixNano);
        Assert.Equal(1, profile.Samples[0].LinkIndex);
        var dictionary = request.Dictionary;
        Assert.Equal(3UL, dictionary.MappingTable[0].FileOffset);
        Assert.Equal(9, dictionary.FunctionTable[0].StartLine);
        Assert.Equal(1, dictionary.AttributeTable[0].UnitStrindex);
        Assert.Equal([0], dictionary.StackTable[0].LocationIndices);
        Assert.Equal([1], dictionary.LinkTable[0].SpanId.ToByteArray());
    }

    [Fact]
    public void Accepts_snake_case_any_values()
    {
        var values = Attribute(
            "{'array_value':{'values':[{'string_value':'s'},{'bool_value':true},{'int_value':3},{'double_value':1.5},{'bytes_value':'AQ'}," +
            "{'kvlist_value':{'values':[{'key_strindex':2}]}},{'string_value_strindex':4}]}}").ArrayValue.Values;

        Assert.Equal("s", values[0].StringValue);
        Assert.True(values[1].BoolValue);
        Assert.Equal(3, values[2].IntValue);
        Assert.Equal(1.5, values[3].DoubleValue);
        Assert.Equal([1], values[4].BytesValue.ToByteArray());
        Assert.Equal(2, values[5].KvlistValue.Values[0].KeyStrindex);
        Assert.Equal(4, values[6].StringValueStrindex);
    }

    [Theory]
    [InlineData("{'intValue':42}", 42L)]
    [InlineData("{'intValue':'-42'}", -42L)]
    [InlineData("{'intValue':'9223372036854775807'}", long.MaxValue)]
    [InlineData("{'intValue':-9223372036854775808}", long.MinValue)]
    [InlineData("{'intValue':1e3}", 1000L)]
    [InlineData("{'intValue':2.0}", 2L)]
    public void Accepts_64_bit_integers_as_numbers_or_strings(string value, long expected) =>
        Assert.Equal(expected, Attribute(value).IntValue);

    [Fact]
    public void Accepts_32_bit_integers_as_strings()
    {
        var request = Parse("{'resourceProfiles':[{'resource':{'droppedAttributesCount':'4294967295'},'scopeProfiles':[{'profiles':[{'samples':[{'stackIndex':'7','attributeIndices':['1',2]}]}]}]}]}");

        Assert.Equal(uint.MaxValue, request.ResourceProfiles[0].Resource.DroppedAttributesCount);
        var sample = request.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0];
        Assert.Equal(7, sample.StackIndex);
        Assert.Equal([1, 2], sample.AttributeIndices);
    }

    [Theory]
    [InlineData("'ABCDEF0123456789abcdef0123456789'")]
    [InlineData("'abcdef0123456789ABCDEF0123456789'")]
    public void Accepts_hex_ids_in_either_case(string traceId)
    {
        var request = Parse($"{{'dictionary':{{'linkTable':[{{'traceId':{traceId},'spanId':'FFfe000000000001'}}]}}}}");

        Assert.Equal(Convert.FromHexString("abcdef0123456789abcdef0123456789"), request.Dictionary.LinkTable[0].TraceId.ToByteArray());
        Assert.Equal(Convert.FromHexString("fffe000000000001"), request.Dictionary.LinkTable[0].SpanId.ToByteArray());
    }

    [Theory]
    [InlineData("+/8=")]
    [InlineData("+/8")]
    [InlineData("-_8=")]
    [InlineData("-_8")]
    public void Accepts_base64_standard_or_url_safe_padded_or_not(string text) =>
        Assert.Equal([0xfb, 0xff], Attribute($"{{'bytesValue':'{text}'}}").BytesValue.ToByteArray());

    [Fact]
    public void Ignores_unknown_fields_of_any_shape()
    {
        var request = Parse(
            "{'future':{'a':[1,{'b':[[],{}]}],'c':null},'resourceProfiles':[{'x':[{'y':{'z':[true,false,null,'s',1.5]}}],'schemaUrl':'kept'," +
            "'resource':{'attributes':[{'key':'k','extra':{'deep':[{'deeper':{}}]},'value':{'intValue':'1','unknownKind':[1,2]}}]}}],'trailer':'t'}");

        Assert.Equal("kept", request.ResourceProfiles[0].SchemaUrl);
        Assert.Equal(1, request.ResourceProfiles[0].Resource.Attributes[0].Value.IntValue);
    }

    [Fact]
    public void Null_means_absent_or_default()
    {
        var request = Parse(
            "{'dictionary':null,'resourceProfiles':[{'resource':null,'schemaUrl':null,'scopeProfiles':[{'scope':null,'profiles':[{'sampleType':null,'period':null," +
            "'profileId':null,'samples':null,'attributeIndices':[null,3]}]}]}]}");

        Assert.Null(request.Dictionary);
        var resourceProfiles = request.ResourceProfiles[0];
        Assert.Null(resourceProfiles.Resource);
        Assert.Equal("", resourceProfiles.SchemaUrl);
        Assert.Null(resourceProfiles.ScopeProfiles[0].Scope);
        var profile = resourceProfiles.ScopeProfiles[0].Profiles[0];
        Assert.Null(profile.SampleType);
        Assert.Equal(0, profile.Period);
        Assert.True(profile.ProfileId.IsEmpty);
        Assert.Empty(profile.Samples);
        Assert.Equal([0, 3], profile.AttributeIndices);
        Assert.Equal(Collector.Otlp.Proto.Common.AnyValue.ValueOneofCase.None, Attribute("{'stringValue':null}").ValueCase);
    }

    [Fact]
    public void Accepts_non_finite_doubles_as_strings()
    {
        Assert.True(double.IsNaN(Attribute("{'doubleValue':'NaN'}").DoubleValue));
        Assert.Equal(double.PositiveInfinity, Attribute("{'doubleValue':'Infinity'}").DoubleValue);
        Assert.Equal(double.NegativeInfinity, Attribute("{'doubleValue':'-Infinity'}").DoubleValue);
        Assert.Equal(2.5, Attribute("{'doubleValue':'2.5'}").DoubleValue);
    }

    [Fact]
    public void Accepts_a_byte_order_mark_and_surrounding_whitespace()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. " \n{\"resourceProfiles\":[]}\n"u8];

        Assert.Equal(new ExportProfilesServiceRequest(), OtlpJson.Parse(json));
    }

    [Theory]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{},{},{'value':{'intValue':true}}]}}]}", "resourceProfiles[0].resource.attributes[2].value.intValue: expected an integer")]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{'value':{'intValue':'12x'}}]}}]}", "resourceProfiles[0].resource.attributes[0].value.intValue: expected an integer")]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{'value':{'intValue':1.5}}]}}]}", "resourceProfiles[0].resource.attributes[0].value.intValue: expected an integer")]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{'value':{'intValue':'9223372036854775808'}}]}}]}", "resourceProfiles[0].resource.attributes[0].value.intValue: 9223372036854775808 is out of range for int64")]
    [InlineData("{'resourceProfiles':[{'resource':{'droppedAttributesCount':-1}}]}", "resourceProfiles[0].resource.droppedAttributesCount: -1 is out of range for uint32")]
    [InlineData("{'resourceProfiles':[{'scopeProfiles':[{'profiles':[{'samples':[{'stackIndex':2147483648}]}]}]}]}", "resourceProfiles[0].scopeProfiles[0].profiles[0].samples[0].stackIndex: 2147483648 is out of range for int32")]
    [InlineData("{'resourceProfiles':[{'scopeProfiles':[{'profiles':[{'timeUnixNano':'-1'}]}]}]}", "resourceProfiles[0].scopeProfiles[0].profiles[0].timeUnixNano: -1 is out of range for uint64")]
    [InlineData("{'resourceProfiles':[{'scopeProfiles':[{'profiles':[{'profileId':'abc'}]}]}]}", "resourceProfiles[0].scopeProfiles[0].profiles[0].profileId: expected a hex string")]
    [InlineData("{'dictionary':{'linkTable':[{},{'spanId':'zz00000000000000'}]}}", "dictionary.linkTable[1].spanId: expected a hex string")]
    [InlineData("{'resourceProfiles':[{'scopeProfiles':[{'profiles':[{'originalPayload':'a*b='}]}]}]}", "resourceProfiles[0].scopeProfiles[0].profiles[0].originalPayload: expected a base64 string")]
    [InlineData("{'resourceProfiles':[{'scopeProfiles':[{'profiles':[{'originalPayload':'abcde'}]}]}]}", "resourceProfiles[0].scopeProfiles[0].profiles[0].originalPayload: expected a base64 string")]
    [InlineData("{'resourceProfiles':{}}", "resourceProfiles: expected an array")]
    [InlineData("{'resourceProfiles':[[]]}", "resourceProfiles[0]: expected an object")]
    [InlineData("{'dictionary':{'stringTable':['',1]}}", "dictionary.stringTable[1]: expected a string")]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{'value':{'boolValue':'true'}}]}}]}", "resourceProfiles[0].resource.attributes[0].value.boolValue: expected true or false")]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{'value':{'doubleValue':'fast'}}]}}]}", "resourceProfiles[0].resource.attributes[0].value.doubleValue: expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"")]
    [InlineData("{'resourceProfiles':[{'resource':{'attributes':[{'value':{'doubleValue':1e999}}]}}]}", "resourceProfiles[0].resource.attributes[0].value.doubleValue: number is out of range for double")]
    [InlineData("[]", "(root): expected an object")]
    public void Reports_bad_values_with_their_path(string json, string message)
    {
        var error = Assert.Throws<OtlpFormatException>(() => Parse(json));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("", "(root): malformed JSON")]
    [InlineData("{} {}", "(root): malformed JSON")]
    [InlineData("{'resourceProfiles':[{'schemaUrl':'x'", "resourceProfiles[0]: malformed JSON")]
    [InlineData("{'resourceProfiles':[{'schemaUrl':'x',}]}", "resourceProfiles[0]: malformed JSON")]
    [InlineData("{'dictionary':{'stringTable':['a' 'b']}}", "dictionary.stringTable: malformed JSON")]
    [InlineData("{'future':{'a':[1,}}", "future: malformed JSON")]
    public void Reports_malformed_json_with_the_path_reached(string json, string messageStart)
    {
        var error = Assert.Throws<OtlpFormatException>(() => Parse(json));

        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_nesting_deeper_than_64()
    {
        var deep = new StringBuilder("{\"resourceProfiles\":[{\"resource\":{\"attributes\":[{\"value\":");
        for (var i = 0; i < 20; i++) deep.Append("{\"arrayValue\":{\"values\":[");
        deep.Append("{}");
        for (var i = 0; i < 20; i++) deep.Append("]}}");
        deep.Append("}]}}]}");

        var error = Assert.Throws<OtlpFormatException>(() => OtlpJson.Parse(Encoding.UTF8.GetBytes(deep.ToString())));

        Assert.Contains("depth of 64", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("resourceProfiles[0].resource.attributes[0].value.arrayValue.values[0].arrayValue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_invalid_utf8_in_strings()
    {
        byte[] json = [.. "{\"resourceProfiles\":[{\"schemaUrl\":\""u8, 0xff, 0xfe, .. "\"}]}"u8];

        var error = Assert.Throws<OtlpFormatException>(() => OtlpJson.Parse(json));

        Assert.StartsWith("resourceProfiles[0].schemaUrl:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_json_fails_only_with_OtlpFormatException()
    {
        var valid = OtlpJson.Serialize(OtlpCorpus.Request());
        var random = new Random(7);
        var failures = 0;
        for (var i = 0; i < 600; i++)
        {
            var damaged = (i % 3) switch
            {
                0 => valid[..random.Next(valid.Length)],
                1 => Flip(valid, random),
                _ => Splice(valid, random),
            };
            try
            {
                OtlpJson.Parse(damaged);
            }
            catch (OtlpFormatException)
            {
                failures++;
            }
        }

        // Most damage must be caught; the rest (a changed digit, say) parses, which is fine.
        Assert.InRange(failures, 300, 600);
    }

    private static byte[] Flip(byte[] valid, Random random)
    {
        var copy = (byte[])valid.Clone();
        for (var n = 1 + random.Next(3); n > 0; n--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }

    private static byte[] Splice(byte[] valid, Random random)
    {
        var start = random.Next(valid.Length);
        var length = random.Next(1, 40);
        byte[] insert = [.. "{}[]\",:0-e.nulltrue\\"u8];
        return [.. valid[..start], .. Enumerable.Range(0, length).Select(_ => insert[random.Next(insert.Length)]), .. valid[start..]];
    }

    private static ExportProfilesServiceRequest Parse(string json) => OtlpJson.Parse(Encoding.UTF8.GetBytes(json.Replace('\'', '"')));

    private static Collector.Otlp.Proto.Common.AnyValue Attribute(string anyValue) =>
        Parse($"{{'resourceProfiles':[{{'resource':{{'attributes':[{{'key':'k','value':{anyValue}}}]}}}}]}}").ResourceProfiles[0].Resource.Attributes[0].Value;
}
