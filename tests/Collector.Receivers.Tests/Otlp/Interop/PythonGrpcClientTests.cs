using System.Text.Json;
using Collector.Core.Components;
using Collector.Extensions.BearerTokenAuth;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.Otlp.Interop;

/// <summary>
/// grpcio (Debian's python3-grpcio, gRPC's C core) sends profiles built from protoc-generated classes to our
/// receiver: it must get OK for a valid export, INVALID_ARGUMENT with the index named for a broken one, and the
/// pipeline must receive exactly the content that was sent.
/// </summary>
public class PythonGrpcClientTests(ITestOutputHelper output)
{
    private static readonly string Script = Path.Combine(ExternalTools.RepositoryRoot, "tests", "interop", "grpc", "otlp_grpc_client.py");

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Grpcio_exports_over_h2c_and_tls_and_the_pipeline_gets_what_it_sent(bool tls, bool gzip)
    {
        RequireTools();
        using var certificates = new TestCertificates();
        using var directory = new TempDirectory();
        await using var fixture = new OtlpReceiverFixture();
        var extension = new BearerTokenAuthExtension(Settings.For("bearertokenauth", ComponentKind.Extension), new BearerTokenAuthOptions { Token = "interop" });
        await extension.StartAsync(fixture.Host, CancellationToken.None);
        fixture.Host.Extensions[ComponentId.Of("bearertokenauth")] = extension;
        var options = new OtlpReceiverOptions
        {
            Protocols = new ProtocolsOptions
            {
                Grpc = new GrpcProtocolOptions
                {
                    Endpoint = "127.0.0.1:0",
                    Tls = tls ? certificates.ServerOptions() : null,
                    Auth = new AuthOptions { Authenticator = "bearertokenauth" },
                },
            },
        };
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, options);
        var dump = directory.File("request.pb");
        List<string> arguments = ["-B", Script, "--target", receiver.GrpcEndpoints[0].ToString(), "--proto-root", ExternalTools.ProtoRoot, "--dump", dump, "--token", "interop"];
        if (tls) arguments.AddRange(["--ca", certificates.CaFile]);
        if (gzip) arguments.Add("--gzip");

        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(ExternalTools.SystemPython, arguments);
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.True(exitCode == 0, $"the grpcio client failed: {stderr}");
        var calls = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal("OK", calls[0].GetProperty("code").GetString());
        Assert.Equal("INVALID_ARGUMENT", calls[1].GetProperty("code").GetString());
        Assert.Contains("samples[1].stackIndex: 99 is out of range", calls[1].GetProperty("details").GetString(), StringComparison.Ordinal);
        var received = Assert.Single(consumer.Batches);
        var sent = OtlpToModel.ToBatch(ExportProfilesServiceRequest.Parser.ParseFrom(await File.ReadAllBytesAsync(dump)));
        Assert.Equal(OtlpReceiverFixture.Proto(sent), OtlpReceiverFixture.Proto(received));
        Assert.Equal(["interop_leaf;interop_main", "interop_main", "interop_leaf;interop_main"], TestBatches.Stacks(received));
        Assert.Equal(3, receiver.Grpc.AcceptedSamples);
    }

    private static void RequireTools()
    {
        ExternalTools.Require(ExternalTools.OnPath("protoc"), "protoc is not installed (Debian package protobuf-compiler)");
        ExternalTools.Require(ExternalTools.PythonCanImport("grpc, google.protobuf"),
            "/usr/bin/python3 cannot import grpc and google.protobuf (Debian packages python3-grpcio, python3-protobuf)");
    }
}
