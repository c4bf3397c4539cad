using System.IO.Compression;
using Collector.Protocol.Grpc;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.Otlp.Interop;

/// <summary>curl, an HTTP client we did not write, posts OTLP/HTTP bodies the way an operator would test a gateway.</summary>
public class CurlHttpClientTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("application/x-protobuf", false, false)]
    [InlineData("application/x-protobuf", true, false)]
    [InlineData("application/json", false, false)]
    [InlineData("application/json", true, true)]
    public async Task Curl_posts_proto_and_json_plain_and_gzip(string contentType, bool gzip, bool tls)
    {
        ExternalTools.Require(ExternalTools.OnPath("curl"), "curl is not installed (Debian package curl)");
        using var certificates = new TestCertificates();
        using var directory = new TempDirectory();
        await using var fixture = new OtlpReceiverFixture();
        var options = new OtlpReceiverOptions
        {
            Protocols = new ProtocolsOptions { Http = new HttpProtocolOptions { Endpoint = "127.0.0.1:0", Tls = tls ? certificates.ServerOptions() : null } },
        };
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, options);
        var sent = TestBatches.Known();
        var body = contentType == "application/json" ? OtlpReceiverFixture.Json(sent) : OtlpReceiverFixture.Proto(sent);
        var file = directory.File("body");
        await File.WriteAllBytesAsync(file, gzip ? Gzip(body) : body);
        var answer = directory.File("answer");
        List<string> arguments =
        [
            "--silent", "--show-error", "--noproxy", "*", "--output", answer, "--write-out", "%{http_code} %{content_type}",
            "--header", "Content-Type: " + contentType, "--data-binary", "@" + file,
        ];
        if (gzip) arguments.AddRange(["--header", "Content-Encoding: gzip"]);
        if (tls) arguments.AddRange(["--cacert", certificates.CaFile]);
        arguments.Add(OtlpReceiverFixture.HttpUri(receiver, tls ? "https" : "http").ToString());

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync("curl", arguments);
        output.WriteLine(stdout);

        Assert.True(exitCode == 0, $"curl failed: {stderr}");
        Assert.Equal($"200 {contentType}", stdout);
        Assert.Equal(contentType == "application/json" ? "{}" : "", await File.ReadAllTextAsync(answer));
        Assert.Equal(OtlpReceiverFixture.Proto(sent), OtlpReceiverFixture.Proto(Assert.Single(consumer.Batches)));
    }

    [Fact]
    public async Task Curl_sees_the_error_statuses_and_a_json_status_body()
    {
        ExternalTools.Require(ExternalTools.OnPath("curl"), "curl is not installed (Debian package curl)");
        using var directory = new TempDirectory();
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer(), OtlpReceiverFixture.BothProtocols());
        var uri = OtlpReceiverFixture.HttpUri(receiver).ToString();
        var answer = directory.File("answer");

        async Task<string> Curl(params string[] extra)
        {
            var (exitCode, stdout, stderr) = await ExternalTools.RunAsync("curl",
                ["--silent", "--show-error", "--noproxy", "*", "--output", answer, "--write-out", "%{http_code}", .. extra, uri]);
            Assert.True(exitCode == 0, $"curl failed: {stderr}");
            return stdout;
        }

        Assert.Equal("405", await Curl());
        Assert.Equal("415", await Curl("--header", "Content-Type: text/csv", "--data-binary", "a,b"));
        Assert.Equal("400", await Curl("--header", "Content-Type: application/json", "--data-binary", "{\"resourceProfiles\": [{\"scopeProfiles\": 3}]}"));
        var status = RpcStatus.ParseJson(await File.ReadAllBytesAsync(answer));
        Assert.Equal(GrpcStatusCode.InvalidArgument, status.Code);
        Assert.Contains("scopeProfiles", status.Message, StringComparison.Ordinal);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(bytes);
        return output.ToArray();
    }
}
