using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using WellKnown = Google.Protobuf.WellKnownTypes;

namespace Collector.Protocol.Grpc;

/// <summary>
/// <c>google.rpc.Status</c> (code 1, message 2, details 3 as <c>Any</c>), the error body of OTLP/HTTP and the
/// content of gRPC's <c>grpc-status-details-bin</c> trailer. Of the details only <c>google.rpc.RetryInfo</c>
/// matters to OTLP (it makes RESOURCE_EXHAUSTED retryable and says when); others are skipped when reading.
/// Written by hand because the google/rpc protos are not part of our build.
/// </summary>
public sealed record RpcStatus(GrpcStatusCode Code, string Message, TimeSpan? RetryDelay = null)
{
    public const string RetryInfoTypeUrl = "type.googleapis.com/google.rpc.RetryInfo";

    // Ten thousand years, the range protobuf allows a Duration; it still fits a TimeSpan.
    private const long MaxDelaySeconds = 315_576_000_000;

    public byte[] ToProtobuf()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream, leaveOpen: true);
        if (Code != GrpcStatusCode.OK)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt32((int)Code);
        }
        if (Message.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(Message);
        }
        if (RetryDelay is { } delay)
        {
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteMessage(new WellKnown.Any { TypeUrl = RetryInfoTypeUrl, Value = RetryInfo(delay) });
        }
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>Throws <see cref="InvalidProtocolBufferException"/> on malformed input.</summary>
    public static RpcStatus ParseProtobuf(ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        var code = GrpcStatusCode.OK;
        var message = "";
        TimeSpan? retryDelay = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case 8:
                    code = (GrpcStatusCode)input.ReadInt32();
                    break;
                case 18:
                    message = input.ReadString();
                    break;
                case 26:
                    var any = new WellKnown.Any();
                    input.ReadMessage(any);
                    if (any.TypeUrl.EndsWith("/google.rpc.RetryInfo", StringComparison.Ordinal)) retryDelay = ParseRetryInfo(any.Value);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new RpcStatus(code, message, retryDelay);
    }

    /// <summary>The <c>grpc-status-details-bin</c> value: base64 of the protobuf form.</summary>
    public string ToDetailsHeader() => Convert.ToBase64String(ToProtobuf());

    /// <summary>Reads <c>grpc-status-details-bin</c>; gRPC senders may leave out the base64 padding.</summary>
    public static bool TryParseDetailsHeader(string? value, out RpcStatus? status)
    {
        status = null;
        if (string.IsNullOrEmpty(value)) return false;
        var padded = value.Length % 4 == 0 ? value : value + new string('=', 4 - value.Length % 4);
        var bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var length)) return false;
        try
        {
            status = ParseProtobuf(bytes.AsSpan(0, length));
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    /// <summary>The OTLP/JSON form: <c>{"code":3,"message":"..."}</c>, with a RetryInfo detail when there is a delay.</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", (int)Code);
            writer.WriteString("message", Message);
            if (RetryDelay is { } delay)
            {
                writer.WriteStartArray("details");
                writer.WriteStartObject();
                writer.WriteString("@type", RetryInfoTypeUrl);
                writer.WriteString("retryDelay", FormatDuration(delay));
                writer.WriteEndObject();
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>Reads the JSON form leniently: missing fields are zero, unknown fields and details are ignored. Throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static RpcStatus ParseJson(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("a google.rpc.Status must be a JSON object");
        var code = root.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt32(out var number) ? (GrpcStatusCode)number : GrpcStatusCode.OK;
        var message = root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String ? messageElement.GetString()! : "";
        TimeSpan? retryDelay = null;
        if (root.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object
                    && detail.TryGetProperty("@type", out var type) && type.ValueKind == JsonValueKind.String
                    && (type.GetString() ?? "").EndsWith("/google.rpc.RetryInfo", StringComparison.Ordinal)
                    && detail.TryGetProperty("retryDelay", out var delay) && delay.ValueKind == JsonValueKind.String
                    && TryParseDuration(delay.GetString()!, out var parsed))
                {
                    retryDelay = parsed;
                }
            }
        }
        return new RpcStatus(code, message, retryDelay);
    }

    /// <summary>google.rpc.RetryInfo: field 1 <c>retry_delay</c>, a Duration.</summary>
    private static ByteString RetryInfo(TimeSpan delay)
    {
        var duration = WellKnown.Duration.FromTimeSpan(delay);
        var bytes = new byte[CodedOutputStream.ComputeTagSize(1) + CodedOutputStream.ComputeMessageSize(duration)];
        var output = new CodedOutputStream(bytes);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(duration);
        output.CheckNoSpaceLeft();
        return ByteString.CopyFrom(bytes);
    }

    private static TimeSpan? ParseRetryInfo(ByteString value)
    {
        var input = value.CreateCodedInput();
        TimeSpan? delay = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == 10)
            {
                var duration = new WellKnown.Duration();
                input.ReadMessage(duration);
                // Negative or unnormalised delays say nothing usable; the status still counts as read.
                if (duration.Seconds is >= 0 and <= MaxDelaySeconds && duration.Nanos is >= 0 and < 1_000_000_000)
                {
                    delay = TimeSpan.FromTicks(duration.Seconds * TimeSpan.TicksPerSecond + duration.Nanos / 100);
                }
            }
            else
            {
                input.SkipLastField();
            }
        }
        return delay;
    }

    /// <summary>proto3 JSON for Duration: seconds with up to nine fractional digits and an <c>s</c>.</summary>
    private static string FormatDuration(TimeSpan delay) =>
        (delay.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.#########", CultureInfo.InvariantCulture) + "s";

    private static bool TryParseDuration(string text, out TimeSpan delay)
    {
        delay = default;
        if (!text.EndsWith('s')) return false;
        if (!decimal.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (Math.Abs(seconds) > (decimal)TimeSpan.MaxValue.TotalSeconds) return false;
        delay = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }
}
