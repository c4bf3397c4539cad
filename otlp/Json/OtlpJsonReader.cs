using System.Text.Json;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf.Collections;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;
using WireResource = Collector.Otlp.Proto.Resource;

namespace Collector.Otlp.Json;

/// <summary>Reads one JSON value at the reader's current token. <c>null</c> gives the default (an empty message).</summary>
internal delegate T JsonValueReader<T>(ref Utf8JsonReader reader, JsonPath path);

/// <summary>
/// Reads OTLP/JSON into the generated messages. Accepts lowerCamelCase and the original snake_case names,
/// ignores unknown fields whatever they hold, and treats <c>null</c> as "absent" (default scalar, unset
/// message, empty list). Nesting deeper than <see cref="MaxDepth"/> is refused.
/// </summary>
internal static class OtlpJsonReader
{
    public const int MaxDepth = 64;

    public static ExportProfilesServiceRequest Parse(ReadOnlySpan<byte> json)
    {
        // A UTF-8 byte order mark is harmless in a file; the reader would otherwise refuse it.
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        var path = new JsonPath();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            Read(ref reader, path);
            if (reader.TokenType != JsonTokenType.StartObject) throw path.Error("expected an object");
            var request = Request(ref reader, path);
            // One more read makes the reader refuse anything after the object but whitespace.
            _ = reader.Read();
            return request;
        }
        catch (JsonException e)
        {
            throw new OtlpFormatException($"{path}: malformed JSON: {e.Message}", e);
        }
    }

    private static ExportProfilesServiceRequest Request(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new ExportProfilesServiceRequest();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "resourceProfiles"u8, "resource_profiles"u8)) Repeated(ref reader, path, "resourceProfiles", message.ResourceProfiles, ResourceProfiles);
            else if (Is(ref reader, "dictionary"u8)) message.Dictionary = Message(ref reader, path, "dictionary", Dictionary);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.ResourceProfiles ResourceProfiles(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.ResourceProfiles();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "resource"u8)) message.Resource = Message(ref reader, path, "resource", Resource);
            else if (Is(ref reader, "scopeProfiles"u8, "scope_profiles"u8)) Repeated(ref reader, path, "scopeProfiles", message.ScopeProfiles, ScopeProfiles);
            else if (Is(ref reader, "schemaUrl"u8, "schema_url"u8)) message.SchemaUrl = Scalar(ref reader, path, "schemaUrl", JsonScalars.String);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static WireResource.Resource Resource(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireResource.Resource();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "attributes"u8)) Repeated(ref reader, path, "attributes", message.Attributes, KeyValue);
            else if (Is(ref reader, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) message.DroppedAttributesCount = Scalar(ref reader, path, "droppedAttributesCount", JsonScalars.UInt32);
            else if (Is(ref reader, "entityRefs"u8, "entity_refs"u8)) Repeated(ref reader, path, "entityRefs", message.EntityRefs, EntityRef);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static WireCommon.EntityRef EntityRef(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireCommon.EntityRef();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "schemaUrl"u8, "schema_url"u8)) message.SchemaUrl = Scalar(ref reader, path, "schemaUrl", JsonScalars.String);
            else if (Is(ref reader, "type"u8)) message.Type = Scalar(ref reader, path, "type", JsonScalars.String);
            else if (Is(ref reader, "idKeys"u8, "id_keys"u8)) Repeated(ref reader, path, "idKeys", message.IdKeys, JsonScalars.String);
            else if (Is(ref reader, "descriptionKeys"u8, "description_keys"u8)) Repeated(ref reader, path, "descriptionKeys", message.DescriptionKeys, JsonScalars.String);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.ScopeProfiles ScopeProfiles(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.ScopeProfiles();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "scope"u8)) message.Scope = Message(ref reader, path, "scope", InstrumentationScope);
            else if (Is(ref reader, "profiles"u8)) Repeated(ref reader, path, "profiles", message.Profiles, Profile);
            else if (Is(ref reader, "schemaUrl"u8, "schema_url"u8)) message.SchemaUrl = Scalar(ref reader, path, "schemaUrl", JsonScalars.String);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static WireCommon.InstrumentationScope InstrumentationScope(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireCommon.InstrumentationScope();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "name"u8)) message.Name = Scalar(ref reader, path, "name", JsonScalars.String);
            else if (Is(ref reader, "version"u8)) message.Version = Scalar(ref reader, path, "version", JsonScalars.String);
            else if (Is(ref reader, "attributes"u8)) Repeated(ref reader, path, "attributes", message.Attributes, KeyValue);
            else if (Is(ref reader, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) message.DroppedAttributesCount = Scalar(ref reader, path, "droppedAttributesCount", JsonScalars.UInt32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Profile Profile(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Profile();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "sampleType"u8, "sample_type"u8)) message.SampleType = Message(ref reader, path, "sampleType", ValueType);
            else if (Is(ref reader, "samples"u8)) Repeated(ref reader, path, "samples", message.Samples, Sample);
            else if (Is(ref reader, "timeUnixNano"u8, "time_unix_nano"u8)) message.TimeUnixNano = Scalar(ref reader, path, "timeUnixNano", JsonScalars.UInt64);
            else if (Is(ref reader, "durationNano"u8, "duration_nano"u8)) message.DurationNano = Scalar(ref reader, path, "durationNano", JsonScalars.UInt64);
            else if (Is(ref reader, "periodType"u8, "period_type"u8)) message.PeriodType = Message(ref reader, path, "periodType", ValueType);
            else if (Is(ref reader, "period"u8)) message.Period = Scalar(ref reader, path, "period", JsonScalars.Int64);
            else if (Is(ref reader, "profileId"u8, "profile_id"u8)) message.ProfileId = Scalar(ref reader, path, "profileId", JsonScalars.Hex);
            else if (Is(ref reader, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) message.DroppedAttributesCount = Scalar(ref reader, path, "droppedAttributesCount", JsonScalars.UInt32);
            else if (Is(ref reader, "originalPayloadFormat"u8, "original_payload_format"u8)) message.OriginalPayloadFormat = Scalar(ref reader, path, "originalPayloadFormat", JsonScalars.String);
            else if (Is(ref reader, "originalPayload"u8, "original_payload"u8)) message.OriginalPayload = Scalar(ref reader, path, "originalPayload", JsonScalars.Base64);
            else if (Is(ref reader, "attributeIndices"u8, "attribute_indices"u8)) Repeated(ref reader, path, "attributeIndices", message.AttributeIndices, JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.ValueType ValueType(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.ValueType();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "typeStrindex"u8, "type_strindex"u8)) message.TypeStrindex = Scalar(ref reader, path, "typeStrindex", JsonScalars.Int32);
            else if (Is(ref reader, "unitStrindex"u8, "unit_strindex"u8)) message.UnitStrindex = Scalar(ref reader, path, "unitStrindex", JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Sample Sample(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Sample();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "stackIndex"u8, "stack_index"u8)) message.StackIndex = Scalar(ref reader, path, "stackIndex", JsonScalars.Int32);
            else if (Is(ref reader, "attributeIndices"u8, "attribute_indices"u8)) Repeated(ref reader, path, "attributeIndices", message.AttributeIndices, JsonScalars.Int32);
            else if (Is(ref reader, "linkIndex"u8, "link_index"u8)) message.LinkIndex = Scalar(ref reader, path, "linkIndex", JsonScalars.Int32);
            else if (Is(ref reader, "values"u8)) Repeated(ref reader, path, "values", message.Values, JsonScalars.Int64);
            else if (Is(ref reader, "timestampsUnixNano"u8, "timestamps_unix_nano"u8)) Repeated(ref reader, path, "timestampsUnixNano", message.TimestampsUnixNano, JsonScalars.UInt64);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.ProfilesDictionary Dictionary(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.ProfilesDictionary();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "mappingTable"u8, "mapping_table"u8)) Repeated(ref reader, path, "mappingTable", message.MappingTable, Mapping);
            else if (Is(ref reader, "locationTable"u8, "location_table"u8)) Repeated(ref reader, path, "locationTable", message.LocationTable, Location);
            else if (Is(ref reader, "functionTable"u8, "function_table"u8)) Repeated(ref reader, path, "functionTable", message.FunctionTable, Function);
            else if (Is(ref reader, "linkTable"u8, "link_table"u8)) Repeated(ref reader, path, "linkTable", message.LinkTable, Link);
            else if (Is(ref reader, "stringTable"u8, "string_table"u8)) Repeated(ref reader, path, "stringTable", message.StringTable, JsonScalars.String);
            else if (Is(ref reader, "attributeTable"u8, "attribute_table"u8)) Repeated(ref reader, path, "attributeTable", message.AttributeTable, KeyValueAndUnit);
            else if (Is(ref reader, "stackTable"u8, "stack_table"u8)) Repeated(ref reader, path, "stackTable", message.StackTable, Stack);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Mapping Mapping(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Mapping();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "memoryStart"u8, "memory_start"u8)) message.MemoryStart = Scalar(ref reader, path, "memoryStart", JsonScalars.UInt64);
            else if (Is(ref reader, "memoryLimit"u8, "memory_limit"u8)) message.MemoryLimit = Scalar(ref reader, path, "memoryLimit", JsonScalars.UInt64);
            else if (Is(ref reader, "fileOffset"u8, "file_offset"u8)) message.FileOffset = Scalar(ref reader, path, "fileOffset", JsonScalars.UInt64);
            else if (Is(ref reader, "filenameStrindex"u8, "filename_strindex"u8)) message.FilenameStrindex = Scalar(ref reader, path, "filenameStrindex", JsonScalars.Int32);
            else if (Is(ref reader, "attributeIndices"u8, "attribute_indices"u8)) Repeated(ref reader, path, "attributeIndices", message.AttributeIndices, JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Location Location(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Location();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "mappingIndex"u8, "mapping_index"u8)) message.MappingIndex = Scalar(ref reader, path, "mappingIndex", JsonScalars.Int32);
            else if (Is(ref reader, "address"u8)) message.Address = Scalar(ref reader, path, "address", JsonScalars.UInt64);
            else if (Is(ref reader, "lines"u8)) Repeated(ref reader, path, "lines", message.Lines, Line);
            else if (Is(ref reader, "attributeIndices"u8, "attribute_indices"u8)) Repeated(ref reader, path, "attributeIndices", message.AttributeIndices, JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Line Line(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Line();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "functionIndex"u8, "function_index"u8)) message.FunctionIndex = Scalar(ref reader, path, "functionIndex", JsonScalars.Int32);
            else if (Is(ref reader, "line"u8)) message.Line_ = Scalar(ref reader, path, "line", JsonScalars.Int64);
            else if (Is(ref reader, "column"u8)) message.Column = Scalar(ref reader, path, "column", JsonScalars.Int64);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Function Function(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Function();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "nameStrindex"u8, "name_strindex"u8)) message.NameStrindex = Scalar(ref reader, path, "nameStrindex", JsonScalars.Int32);
            else if (Is(ref reader, "systemNameStrindex"u8, "system_name_strindex"u8)) message.SystemNameStrindex = Scalar(ref reader, path, "systemNameStrindex", JsonScalars.Int32);
            else if (Is(ref reader, "filenameStrindex"u8, "filename_strindex"u8)) message.FilenameStrindex = Scalar(ref reader, path, "filenameStrindex", JsonScalars.Int32);
            else if (Is(ref reader, "startLine"u8, "start_line"u8)) message.StartLine = Scalar(ref reader, path, "startLine", JsonScalars.Int64);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Link Link(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Link();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "traceId"u8, "trace_id"u8)) message.TraceId = Scalar(ref reader, path, "traceId", JsonScalars.Hex);
            else if (Is(ref reader, "spanId"u8, "span_id"u8)) message.SpanId = Scalar(ref reader, path, "spanId", JsonScalars.Hex);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.KeyValueAndUnit KeyValueAndUnit(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.KeyValueAndUnit();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "keyStrindex"u8, "key_strindex"u8)) message.KeyStrindex = Scalar(ref reader, path, "keyStrindex", JsonScalars.Int32);
            else if (Is(ref reader, "value"u8)) message.Value = Message(ref reader, path, "value", AnyValue);
            else if (Is(ref reader, "unitStrindex"u8, "unit_strindex"u8)) message.UnitStrindex = Scalar(ref reader, path, "unitStrindex", JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static Wire.Stack Stack(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new Wire.Stack();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "locationIndices"u8, "location_indices"u8)) Repeated(ref reader, path, "locationIndices", message.LocationIndices, JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static WireCommon.KeyValue KeyValue(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireCommon.KeyValue();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "key"u8)) message.Key = Scalar(ref reader, path, "key", JsonScalars.String);
            else if (Is(ref reader, "value"u8)) message.Value = Message(ref reader, path, "value", AnyValue);
            else if (Is(ref reader, "keyStrindex"u8, "key_strindex"u8)) message.KeyStrindex = Scalar(ref reader, path, "keyStrindex", JsonScalars.Int32);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    /// <summary>A oneof: the member named last wins; a member given as null leaves the value unset.</summary>
    private static WireCommon.AnyValue AnyValue(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireCommon.AnyValue();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "stringValue"u8, "string_value"u8))
            {
                if (Member(ref reader, path, "stringValue", JsonScalars.String, out var text)) message.StringValue = text;
            }
            else if (Is(ref reader, "boolValue"u8, "bool_value"u8))
            {
                if (Member(ref reader, path, "boolValue", JsonScalars.Bool, out var flag)) message.BoolValue = flag;
            }
            else if (Is(ref reader, "intValue"u8, "int_value"u8))
            {
                if (Member(ref reader, path, "intValue", JsonScalars.Int64, out var integer)) message.IntValue = integer;
            }
            else if (Is(ref reader, "doubleValue"u8, "double_value"u8))
            {
                if (Member(ref reader, path, "doubleValue", JsonScalars.Double, out var number)) message.DoubleValue = number;
            }
            else if (Is(ref reader, "arrayValue"u8, "array_value"u8))
            {
                if (Member(ref reader, path, "arrayValue", ArrayValue, out var array)) message.ArrayValue = array;
            }
            else if (Is(ref reader, "kvlistValue"u8, "kvlist_value"u8))
            {
                if (Member(ref reader, path, "kvlistValue", KeyValueList, out var list)) message.KvlistValue = list;
            }
            else if (Is(ref reader, "bytesValue"u8, "bytes_value"u8))
            {
                if (Member(ref reader, path, "bytesValue", JsonScalars.Base64, out var bytes)) message.BytesValue = bytes;
            }
            else if (Is(ref reader, "stringValueStrindex"u8, "string_value_strindex"u8))
            {
                if (Member(ref reader, path, "stringValueStrindex", JsonScalars.Int32, out var index)) message.StringValueStrindex = index;
            }
            else
            {
                SkipUnknown(ref reader, path);
            }
        }
        return message;
    }

    private static WireCommon.ArrayValue ArrayValue(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireCommon.ArrayValue();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "values"u8)) Repeated(ref reader, path, "values", message.Values, AnyValue);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    private static WireCommon.KeyValueList KeyValueList(ref Utf8JsonReader reader, JsonPath path)
    {
        var message = new WireCommon.KeyValueList();
        if (!BeginObject(ref reader, path)) return message;
        while (NextProperty(ref reader, path))
        {
            if (Is(ref reader, "values"u8)) Repeated(ref reader, path, "values", message.Values, KeyValue);
            else SkipUnknown(ref reader, path);
        }
        return message;
    }

    /// <summary>A singular message field; null leaves it absent.</summary>
    private static T? Message<T>(ref Utf8JsonReader reader, JsonPath path, string name, JsonValueReader<T> read)
        where T : class
    {
        path.Push(name);
        Read(ref reader, path);
        var value = reader.TokenType == JsonTokenType.Null ? null : read(ref reader, path);
        path.Pop();
        return value;
    }

    /// <summary>A scalar field; null reads as the default.</summary>
    private static T Scalar<T>(ref Utf8JsonReader reader, JsonPath path, string name, JsonValueReader<T> read)
    {
        path.Push(name);
        Read(ref reader, path);
        var value = read(ref reader, path);
        path.Pop();
        return value;
    }

    /// <summary>A oneof member; false when it is null, which leaves the oneof as it was.</summary>
    private static bool Member<T>(ref Utf8JsonReader reader, JsonPath path, string name, JsonValueReader<T> read, out T value)
    {
        path.Push(name);
        Read(ref reader, path);
        var present = reader.TokenType != JsonTokenType.Null;
        value = present ? read(ref reader, path) : default!;
        path.Pop();
        return present;
    }

    /// <summary>A repeated field: the last occurrence wins; null means empty; a null element reads as the element's default.</summary>
    private static void Repeated<T>(ref Utf8JsonReader reader, JsonPath path, string name, RepeatedField<T> target, JsonValueReader<T> read)
    {
        path.Push(name);
        Read(ref reader, path);
        target.Clear();
        if (reader.TokenType != JsonTokenType.Null)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw path.Error("expected an array");
            for (var index = 0; ; index++)
            {
                Read(ref reader, path);
                if (reader.TokenType == JsonTokenType.EndArray) break;
                path.Push(index);
                target.Add(read(ref reader, path));
                path.Pop();
            }
        }
        path.Pop();
    }

    /// <summary>False for null (the caller returns an empty message); throws unless the token starts an object.</summary>
    private static bool BeginObject(ref Utf8JsonReader reader, JsonPath path)
    {
        if (reader.TokenType == JsonTokenType.Null) return false;
        if (reader.TokenType != JsonTokenType.StartObject) throw path.Error("expected an object");
        return true;
    }

    /// <summary>Moves to the next property name; false at the end of the object.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, JsonPath path)
    {
        Read(ref reader, path);
        return reader.TokenType != JsonTokenType.EndObject;
    }

    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) => reader.ValueTextEquals(name);

    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> lowerCamel, ReadOnlySpan<byte> snake) =>
        reader.ValueTextEquals(lowerCamel) || reader.ValueTextEquals(snake);

    /// <summary>Receivers must ignore unknown fields, whatever depth their value has.</summary>
    private static void SkipUnknown(ref Utf8JsonReader reader, JsonPath path)
    {
        path.Push(JsonScalars.Text(ref reader, path));
        reader.Skip();
        path.Pop();
    }

    private static void Read(ref Utf8JsonReader reader, JsonPath path)
    {
        if (!reader.Read()) throw path.Error("unexpected end of JSON");
    }
}
