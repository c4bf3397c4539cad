using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Collector.Core.Buffers;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;
using WireResource = Collector.Otlp.Proto.Resource;

namespace Collector.Otlp.Json;

/// <summary>
/// Writes OTLP/JSON: lowerCamelCase keys, fields in field-number order, 64-bit integers as decimal strings,
/// trace/span/profile ids as lowercase hex and other bytes as base64. Scalars equal to their default and empty
/// repeated fields are left out; a message field is written whenever it is present, even when empty, so
/// presence survives a round trip. Non-finite doubles are written as "NaN", "Infinity", "-Infinity".
/// </summary>
internal static class OtlpJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Keeps non-ASCII text readable; the output is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static byte[] Serialize(ExportProfilesServiceRequest request, bool lineFeed = false)
    {
        using var buffer = new PooledBufferWriter(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            Repeated(writer, "resourceProfiles"u8, request.ResourceProfiles, ResourceProfiles);
            if (request.Dictionary is { } dictionary)
            {
                writer.WritePropertyName("dictionary"u8);
                Dictionary(writer, dictionary);
            }
            writer.WriteEndObject();
        }
        if (lineFeed)
        {
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void ResourceProfiles(Utf8JsonWriter writer, Wire.ResourceProfiles message)
    {
        writer.WriteStartObject();
        if (message.Resource is { } resource)
        {
            writer.WritePropertyName("resource"u8);
            Resource(writer, resource);
        }
        Repeated(writer, "scopeProfiles"u8, message.ScopeProfiles, ScopeProfiles);
        String(writer, "schemaUrl"u8, message.SchemaUrl);
        writer.WriteEndObject();
    }

    private static void Resource(Utf8JsonWriter writer, WireResource.Resource message)
    {
        writer.WriteStartObject();
        Repeated(writer, "attributes"u8, message.Attributes, KeyValue);
        UInt32(writer, "droppedAttributesCount"u8, message.DroppedAttributesCount);
        Repeated(writer, "entityRefs"u8, message.EntityRefs, EntityRef);
        writer.WriteEndObject();
    }

    private static void EntityRef(Utf8JsonWriter writer, WireCommon.EntityRef message)
    {
        writer.WriteStartObject();
        String(writer, "schemaUrl"u8, message.SchemaUrl);
        String(writer, "type"u8, message.Type);
        Strings(writer, "idKeys"u8, message.IdKeys);
        Strings(writer, "descriptionKeys"u8, message.DescriptionKeys);
        writer.WriteEndObject();
    }

    private static void ScopeProfiles(Utf8JsonWriter writer, Wire.ScopeProfiles message)
    {
        writer.WriteStartObject();
        if (message.Scope is { } scope)
        {
            writer.WritePropertyName("scope"u8);
            writer.WriteStartObject();
            String(writer, "name"u8, scope.Name);
            String(writer, "version"u8, scope.Version);
            Repeated(writer, "attributes"u8, scope.Attributes, KeyValue);
            UInt32(writer, "droppedAttributesCount"u8, scope.DroppedAttributesCount);
            writer.WriteEndObject();
        }
        Repeated(writer, "profiles"u8, message.Profiles, Profile);
        String(writer, "schemaUrl"u8, message.SchemaUrl);
        writer.WriteEndObject();
    }

    private static void Profile(Utf8JsonWriter writer, Wire.Profile message)
    {
        writer.WriteStartObject();
        ValueType(writer, "sampleType"u8, message.SampleType);
        Repeated(writer, "samples"u8, message.Samples, Sample);
        UInt64(writer, "timeUnixNano"u8, message.TimeUnixNano);
        UInt64(writer, "durationNano"u8, message.DurationNano);
        ValueType(writer, "periodType"u8, message.PeriodType);
        Int64(writer, "period"u8, message.Period);
        Hex(writer, "profileId"u8, message.ProfileId);
        UInt32(writer, "droppedAttributesCount"u8, message.DroppedAttributesCount);
        String(writer, "originalPayloadFormat"u8, message.OriginalPayloadFormat);
        Base64(writer, "originalPayload"u8, message.OriginalPayload);
        Int32s(writer, "attributeIndices"u8, message.AttributeIndices);
        writer.WriteEndObject();
    }

    private static void ValueType(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Wire.ValueType? message)
    {
        if (message is null) return;
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        Int32(writer, "typeStrindex"u8, message.TypeStrindex);
        Int32(writer, "unitStrindex"u8, message.UnitStrindex);
        writer.WriteEndObject();
    }

    private static void Sample(Utf8JsonWriter writer, Wire.Sample message)
    {
        writer.WriteStartObject();
        Int32(writer, "stackIndex"u8, message.StackIndex);
        Int32s(writer, "attributeIndices"u8, message.AttributeIndices);
        Int32(writer, "linkIndex"u8, message.LinkIndex);
        if (message.Values.Count > 0)
        {
            writer.WriteStartArray("values"u8);
            for (var i = 0; i < message.Values.Count; i++) Int64Value(writer, message.Values[i]);
            writer.WriteEndArray();
        }
        if (message.TimestampsUnixNano.Count > 0)
        {
            writer.WriteStartArray("timestampsUnixNano"u8);
            for (var i = 0; i < message.TimestampsUnixNano.Count; i++) UInt64Value(writer, message.TimestampsUnixNano[i]);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void Dictionary(Utf8JsonWriter writer, Wire.ProfilesDictionary message)
    {
        writer.WriteStartObject();
        Repeated(writer, "mappingTable"u8, message.MappingTable, Mapping);
        Repeated(writer, "locationTable"u8, message.LocationTable, Location);
        Repeated(writer, "functionTable"u8, message.FunctionTable, Function);
        Repeated(writer, "linkTable"u8, message.LinkTable, Link);
        Strings(writer, "stringTable"u8, message.StringTable);
        Repeated(writer, "attributeTable"u8, message.AttributeTable, KeyValueAndUnit);
        Repeated(writer, "stackTable"u8, message.StackTable, Stack);
        writer.WriteEndObject();
    }

    private static void Mapping(Utf8JsonWriter writer, Wire.Mapping message)
    {
        writer.WriteStartObject();
        UInt64(writer, "memoryStart"u8, message.MemoryStart);
        UInt64(writer, "memoryLimit"u8, message.MemoryLimit);
        UInt64(writer, "fileOffset"u8, message.FileOffset);
        Int32(writer, "filenameStrindex"u8, message.FilenameStrindex);
        Int32s(writer, "attributeIndices"u8, message.AttributeIndices);
        writer.WriteEndObject();
    }

    private static void Location(Utf8JsonWriter writer, Wire.Location message)
    {
        writer.WriteStartObject();
        Int32(writer, "mappingIndex"u8, message.MappingIndex);
        UInt64(writer, "address"u8, message.Address);
        Repeated(writer, "lines"u8, message.Lines, Line);
        Int32s(writer, "attributeIndices"u8, message.AttributeIndices);
        writer.WriteEndObject();
    }

    private static void Line(Utf8JsonWriter writer, Wire.Line message)
    {
        writer.WriteStartObject();
        Int32(writer, "functionIndex"u8, message.FunctionIndex);
        Int64(writer, "line"u8, message.Line_);
        Int64(writer, "column"u8, message.Column);
        writer.WriteEndObject();
    }

    private static void Function(Utf8JsonWriter writer, Wire.Function message)
    {
        writer.WriteStartObject();
        Int32(writer, "nameStrindex"u8, message.NameStrindex);
        Int32(writer, "systemNameStrindex"u8, message.SystemNameStrindex);
        Int32(writer, "filenameStrindex"u8, message.FilenameStrindex);
        Int64(writer, "startLine"u8, message.StartLine);
        writer.WriteEndObject();
    }

    private static void Link(Utf8JsonWriter writer, Wire.Link message)
    {
        writer.WriteStartObject();
        Hex(writer, "traceId"u8, message.TraceId);
        Hex(writer, "spanId"u8, message.SpanId);
        writer.WriteEndObject();
    }

    private static void KeyValueAndUnit(Utf8JsonWriter writer, Wire.KeyValueAndUnit message)
    {
        writer.WriteStartObject();
        Int32(writer, "keyStrindex"u8, message.KeyStrindex);
        if (message.Value is { } value)
        {
            writer.WritePropertyName("value"u8);
            AnyValue(writer, value);
        }
        Int32(writer, "unitStrindex"u8, message.UnitStrindex);
        writer.WriteEndObject();
    }

    private static void Stack(Utf8JsonWriter writer, Wire.Stack message)
    {
        writer.WriteStartObject();
        Int32s(writer, "locationIndices"u8, message.LocationIndices);
        writer.WriteEndObject();
    }

    private static void KeyValue(Utf8JsonWriter writer, WireCommon.KeyValue message)
    {
        writer.WriteStartObject();
        String(writer, "key"u8, message.Key);
        if (message.Value is { } value)
        {
            writer.WritePropertyName("value"u8);
            AnyValue(writer, value);
        }
        Int32(writer, "keyStrindex"u8, message.KeyStrindex);
        writer.WriteEndObject();
    }

    /// <summary>The member of the oneof is written even when it holds its default: which member is set is the value.</summary>
    private static void AnyValue(Utf8JsonWriter writer, WireCommon.AnyValue message)
    {
        writer.WriteStartObject();
        switch (message.ValueCase)
        {
            case WireCommon.AnyValue.ValueOneofCase.StringValue: writer.WriteString("stringValue"u8, message.StringValue); break;
            case WireCommon.AnyValue.ValueOneofCase.BoolValue: writer.WriteBoolean("boolValue"u8, message.BoolValue); break;
            case WireCommon.AnyValue.ValueOneofCase.IntValue:
                writer.WritePropertyName("intValue"u8);
                Int64Value(writer, message.IntValue);
                break;
            case WireCommon.AnyValue.ValueOneofCase.DoubleValue:
                writer.WritePropertyName("doubleValue"u8);
                DoubleValue(writer, message.DoubleValue);
                break;
            case WireCommon.AnyValue.ValueOneofCase.ArrayValue:
                writer.WritePropertyName("arrayValue"u8);
                writer.WriteStartObject();
                Repeated(writer, "values"u8, message.ArrayValue.Values, AnyValue);
                writer.WriteEndObject();
                break;
            case WireCommon.AnyValue.ValueOneofCase.KvlistValue:
                writer.WritePropertyName("kvlistValue"u8);
                writer.WriteStartObject();
                Repeated(writer, "values"u8, message.KvlistValue.Values, KeyValue);
                writer.WriteEndObject();
                break;
            case WireCommon.AnyValue.ValueOneofCase.BytesValue:
                writer.WriteBase64String("bytesValue"u8, message.BytesValue.Span);
                break;
            case WireCommon.AnyValue.ValueOneofCase.StringValueStrindex:
                writer.WriteNumber("stringValueStrindex"u8, message.StringValueStrindex);
                break;
        }
        writer.WriteEndObject();
    }

    private static void Repeated<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, RepeatedField<T> items, Action<Utf8JsonWriter, T> write)
    {
        if (items.Count == 0) return;
        writer.WriteStartArray(name);
        for (var i = 0; i < items.Count; i++) write(writer, items[i]);
        writer.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, RepeatedField<string> items)
    {
        if (items.Count == 0) return;
        writer.WriteStartArray(name);
        for (var i = 0; i < items.Count; i++) writer.WriteStringValue(items[i]);
        writer.WriteEndArray();
    }

    private static void Int32s(Utf8JsonWriter writer, ReadOnlySpan<byte> name, RepeatedField<int> items)
    {
        if (items.Count == 0) return;
        writer.WriteStartArray(name);
        for (var i = 0; i < items.Count; i++) writer.WriteNumberValue(items[i]);
        writer.WriteEndArray();
    }

    private static void String(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string value)
    {
        if (value.Length > 0) writer.WriteString(name, value);
    }

    private static void Int32(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int value)
    {
        if (value != 0) writer.WriteNumber(name, value);
    }

    private static void UInt32(Utf8JsonWriter writer, ReadOnlySpan<byte> name, uint value)
    {
        if (value != 0) writer.WriteNumber(name, value);
    }

    private static void Int64(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long value)
    {
        if (value == 0) return;
        writer.WritePropertyName(name);
        Int64Value(writer, value);
    }

    private static void UInt64(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong value)
    {
        if (value == 0) return;
        writer.WritePropertyName(name);
        UInt64Value(writer, value);
    }

    /// <summary>64-bit integers as JSON strings. Digits never need escaping, so the quoted text is written raw.</summary>
    private static void Int64Value(Utf8JsonWriter writer, long value)
    {
        Span<byte> text = stackalloc byte[22];
        text[0] = (byte)'"';
        value.TryFormat(text[1..], out var written, default, CultureInfo.InvariantCulture);
        text[written + 1] = (byte)'"';
        writer.WriteRawValue(text[..(written + 2)], skipInputValidation: true);
    }

    private static void UInt64Value(Utf8JsonWriter writer, ulong value)
    {
        Span<byte> text = stackalloc byte[22];
        text[0] = (byte)'"';
        value.TryFormat(text[1..], out var written, default, CultureInfo.InvariantCulture);
        text[written + 1] = (byte)'"';
        writer.WriteRawValue(text[..(written + 2)], skipInputValidation: true);
    }

    private static void DoubleValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsNaN(value)) writer.WriteStringValue("NaN"u8);
        else if (double.IsPositiveInfinity(value)) writer.WriteStringValue("Infinity"u8);
        else if (double.IsNegativeInfinity(value)) writer.WriteStringValue("-Infinity"u8);
        else writer.WriteNumberValue(value);
    }

    private static void Hex(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ByteString value)
    {
        if (!value.IsEmpty) writer.WriteString(name, Convert.ToHexStringLower(value.Span));
    }

    private static void Base64(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ByteString value)
    {
        if (!value.IsEmpty) writer.WriteBase64String(name, value.Span);
    }
}
