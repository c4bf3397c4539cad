using System.Net;
using Collector.Protocol.Http;
using Collector.Protocol.Http.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Collector.Protocol.Tests.Http.Server.Support;

/// <summary>An <see cref="HttpServer"/> running one handler without the hosting layer, its logs captured.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(HttpServer server, CapturingLoggerFactory logs)
    {
        Server = server;
        Logs = logs;
        Addresses = [.. server.Features.Get<IServerAddressesFeature>()!.Addresses];
    }

    public HttpServer Server { get; }

    public CapturingLoggerFactory Logs { get; }

    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Where the first address listens (an IP address; "localhost" reads as 127.0.0.1).</summary>
    public IPEndPoint Endpoint
    {
        get
        {
            var uri = new Uri(Addresses[0]);
            return new IPEndPoint(uri.IsLoopback && uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host), uri.Port);
        }
    }

    public static async Task<TestServer> StartAsync(RequestDelegate handler, HttpServerLimits? limits = null, string address = "127.0.0.1:0")
    {
        var logs = new CapturingLoggerFactory();
        var server = new HttpServer(ListenAddress.Parse(address), limits ?? HttpServerLimits.Default, logs);
        try
        {
            await server.StartAsync(new Application(handler), CancellationToken.None);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return new TestServer(server, logs);
    }

    public Task<RawClient> ConnectAsync() => RawClient.ConnectAsync(Endpoint);

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Server.StopAsync(grace.Token);
        Server.Dispose();
    }

    /// <summary>What the hosting layer does, minus everything but the context.</summary>
    private sealed class Application(RequestDelegate handler) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => handler(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
