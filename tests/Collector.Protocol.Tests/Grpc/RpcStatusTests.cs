using System.Text;
using Collector.Protocol.Grpc;
using Google.Protobuf;
using WellKnown = Google.Protobuf.WellKnownTypes;

namespace Collector.Protocol.Tests.Grpc;

public class RpcStatusTests
{
    [Fact]
    public void The_protobuf_form_round_trips_with_and_without_retry_info()
    {
        var plain = new RpcStatus(GrpcStatusCode.InvalidArgument, "samples[3].stackIndex: 17 is out of range");
        var retry = new RpcStatus(GrpcStatusCode.ResourceExhausted, "slow down", TimeSpan.FromMilliseconds(1500));

        Assert.Equal(plain, RpcStatus.ParseProtobuf(plain.ToProtobuf()));
        Assert.Equal(retry, RpcStatus.ParseProtobuf(retry.ToProtobuf()));
        Assert.Empty(new RpcStatus(GrpcStatusCode.OK, "").ToProtobuf());
    }

    [Fact]
    public void The_protobuf_form_has_the_field_numbers_of_google_rpc_status()
    {
        var bytes = new RpcStatus(GrpcStatusCode.ResourceExhausted, "hi", TimeSpan.FromSeconds(2)).ToProtobuf();

        // Read back with the library's own Any and Duration, field by field.
        var input = new CodedInputStream(bytes);
        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.Varint), input.ReadTag());
        Assert.Equal(8, input.ReadInt32());
        Assert.Equal(WireFormat.MakeTag(2, WireFormat.WireType.LengthDelimited), input.ReadTag());
        Assert.Equal("hi", input.ReadString());
        Assert.Equal(WireFormat.MakeTag(3, WireFormat.WireType.LengthDelimited), input.ReadTag());
        var any = new WellKnown.Any();
        input.ReadMessage(any);
        Assert.Equal("type.googleapis.com/google.rpc.RetryInfo", any.TypeUrl);
        var retryInfo = any.Value.CreateCodedInput();
        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited), retryInfo.ReadTag());
        var duration = new WellKnown.Duration();
        retryInfo.ReadMessage(duration);
        Assert.Equal(2, duration.Seconds);
        Assert.True(input.IsAtEnd);
    }

    [Fact]
    public void Unknown_fields_and_other_details_are_skipped()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(new WellKnown.Any { TypeUrl = "type.googleapis.com/google.rpc.DebugInfo", Value = ByteString.CopyFromUtf8("x") });
        output.WriteTag(9, WireFormat.WireType.Fixed64);
        output.WriteFixed64(1);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(14);
        output.Flush();

        Assert.Equal(new RpcStatus(GrpcStatusCode.Unavailable, ""), RpcStatus.ParseProtobuf(stream.ToArray()));
    }

    [Fact]
    public void The_details_header_is_base64_and_is_read_without_padding()
    {
        var status = new RpcStatus(GrpcStatusCode.ResourceExhausted, "ab", TimeSpan.FromSeconds(1));
        var header = status.ToDetailsHeader();

        Assert.True(RpcStatus.TryParseDetailsHeader(header, out var padded));
        Assert.True(RpcStatus.TryParseDetailsHeader(header.TrimEnd('='), out var unpadded));
        Assert.Equal(status, padded);
        Assert.Equal(status, unpadded);
        Assert.False(RpcStatus.TryParseDetailsHeader("not base64!", out _));
        Assert.False(RpcStatus.TryParseDetailsHeader(Convert.ToBase64String([0xFF, 0xFF]), out _));
        Assert.False(RpcStatus.TryParseDetailsHeader(null, out _));
    }

    [Fact]
    public void The_json_form_is_what_otlp_http_sends()
    {
        var json = Encoding.UTF8.GetString(new RpcStatus(GrpcStatusCode.InvalidArgument, "bad \"index\"").ToJson());
        var withDelay = new RpcStatus(GrpcStatusCode.Unavailable, "busy", TimeSpan.FromMilliseconds(2500));

        Assert.Equal("""{"code":3,"message":"bad \u0022index\u0022"}""", json);
        Assert.Equal("""{"code":14,"message":"busy","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2.5s"}]}""",
            Encoding.UTF8.GetString(withDelay.ToJson()));
        Assert.Equal(withDelay, RpcStatus.ParseJson(withDelay.ToJson()));
        Assert.Equal(new RpcStatus(GrpcStatusCode.OK, ""), RpcStatus.ParseJson("{\"extra\":[1]}"u8));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RpcStatus.ParseJson("[1]"u8));
    }
}
