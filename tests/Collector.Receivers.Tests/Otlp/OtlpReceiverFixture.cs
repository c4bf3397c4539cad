using System.Net;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;
using Google.Protobuf;

namespace Collector.Receivers.Tests.Otlp;

/// <summary>
/// Receivers on loopback with ephemeral ports, feeding a capturing consumer, and clients for both protocols:
/// gRPC over HTTP/2 with prior knowledge, OTLP/HTTP over HTTP/1.1. Everything is shut down on dispose.
/// </summary>
internal sealed class OtlpReceiverFixture(bool captureLogs = true) : IAsyncDisposable
{
    private readonly List<OtlpReceiver> _receivers = [];
    private readonly List<HttpClient> _clients = [];

    public CapturingLoggerFactory Logs { get; } = new();

    public TestHost Host { get; } = new();

    public static OtlpReceiverOptions BothProtocols(int maxConcurrentRequests = 64) => new()
    {
        Protocols = new ProtocolsOptions
        {
            Grpc = new GrpcProtocolOptions { Endpoint = "127.0.0.1:0" },
            Http = new HttpProtocolOptions { Endpoint = "127.0.0.1:0" },
        },
        MaxConcurrentRequests = maxConcurrentRequests,
    };

    public OtlpReceiver Create(IProfilesConsumer consumer, OtlpReceiverOptions? options = null)
    {
        options ??= BothProtocols();
        Assert.Empty(options.Validate());
        var logs = captureLogs ? Logs : (Microsoft.Extensions.Logging.ILoggerFactory)Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var receiver = new OtlpReceiver(Settings.For("otlp", ComponentKind.Receiver, logs: logs), options, consumer);
        _receivers.Add(receiver);
        return receiver;
    }

    public async Task<OtlpReceiver> StartAsync(IProfilesConsumer consumer, OtlpReceiverOptions? options = null)
    {
        var receiver = Create(consumer, options);
        await receiver.StartAsync(Host, CancellationToken.None);
        return receiver;
    }

    public static Uri GrpcUri(OtlpReceiver receiver, string scheme = "http") => new($"{scheme}://{receiver.GrpcEndpoints[0]}");

    public static Uri HttpUri(OtlpReceiver receiver, string scheme = "http") => new($"{scheme}://{receiver.HttpEndpoints[0]}/v1development/profiles");

    /// <summary>An HTTP/2-only client, as gRPC clients are: cleartext means prior knowledge (h2c).</summary>
    public HttpClient GrpcClient(SocketsHttpHandler? handler = null) => Track(new HttpClient(handler ?? new SocketsHttpHandler())
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    });

    public HttpClient HttpClient(SocketsHttpHandler? handler = null, Version? version = null) => Track(new HttpClient(handler ?? new SocketsHttpHandler())
    {
        DefaultRequestVersion = version ?? HttpVersion.Version11,
        Timeout = TimeSpan.FromSeconds(30),
    });

    public static byte[] Proto(ProfileBatch batch) => ModelToOtlp.ToRequest(batch).ToByteArray();

    public static byte[] Json(ProfileBatch batch) => OtlpJson.Serialize(ModelToOtlp.ToRequest(batch));

    private HttpClient Track(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var receiver in _receivers) await receiver.ShutdownAsync(timeout.Token);
        Assert.Empty(Host.FatalErrors);
    }
}
