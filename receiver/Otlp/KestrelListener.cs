using System.Net;
using Collector.Protocol.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Otlp;

/// <summary>
/// One Kestrel server in this process, for one protocol of the receiver: the listen sockets, TLS, and what
/// the protocol serves (Grpc.AspNetCore's endpoints for gRPC, a single request delegate for HTTP). Built on an empty WebApplication so nothing else comes along: no configuration
/// files, no environment-driven URLs, and no console lifetime (the collector's own host owns the signals).
/// </summary>
internal sealed class KestrelListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelListener(WebApplication app, IReadOnlyList<IPEndPoint> endpoints)
    {
        _app = app;
        Endpoints = endpoints;
    }

    /// <summary>The addresses actually bound (with the port chosen when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    /// <summary>A pipeline of one request delegate, quiet about clients that go away mid-answer.</summary>
    public static Action<WebApplication> Serve(RequestDelegate handler) => app => app.Run(async context =>
    {
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (Exception error) when (context.RequestAborted.IsCancellationRequested && error is OperationCanceledException or IOException)
        {
            // The client went away while the answer was being written: nobody to tell, nothing to log.
        }
    });

    /// <summary>
    /// Binds and starts serving what <paramref name="services"/> and <paramref name="pipeline"/> set up. The spec's
    /// cleartext protocols apply without TLS; with TLS, HTTP/1.1 and HTTP/2 are offered through ALPN. A bind
    /// failure (port in use, address not local) throws an <see cref="IOException"/> naming the endpoint.
    /// </summary>
    public static async Task<KestrelListener> StartAsync(ListenSpec spec, Action<IServiceCollection> services, Action<WebApplication> pipeline,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var addresses = spec.Endpoint.IsLocalhost && spec.Endpoint.Port != 0
            ? null
            : await spec.Endpoint.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedServerLifetime>();
        // Stopping is bounded by the token the receiver's shutdown passes, not by a second timeout here.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            // The endpoints read bodies against their own limits, and must see an oversized body to answer it
            // with their protocol's status (413, RESOURCE_EXHAUSTED) rather than Kestrel's.
            options.Limits.MaxRequestBodySize = null;
            void Configure(ListenOptions listen)
            {
                listen.Protocols = spec.Tls is null ? spec.CleartextProtocols : HttpProtocols.Http1AndHttp2;
                if (spec.Tls is not null) listen.UseHttps(spec.Tls.HttpsOptions());
            }
            if (spec.Endpoint.Host.Length == 0) options.ListenAnyIP(spec.Endpoint.Port, Configure);
            else if (addresses is null) options.ListenLocalhost(spec.Endpoint.Port, Configure);
            else foreach (var address in addresses) options.Listen(address, spec.Endpoint.Port, Configure);
        });
        services(builder.Services);
        var app = builder.Build();
        pipeline(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot listen for OTLP/{spec.Transport} on {spec.Endpoint}: {error.Message}", error);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(ParseAddress).ToArray() ?? [];
        return new KestrelListener(app, bound);
    }

    /// <summary>Stops accepting connections, lets requests in progress finish until the token fires, then aborts them.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static IPEndPoint ParseAddress(string address)
    {
        var uri = new Uri(address);
        // ListenLocalhost reports "localhost" rather than an address.
        return new IPEndPoint(IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : IPAddress.Loopback, uri.Port);
    }
}

/// <summary>What one listener serves: where, which HTTP versions in cleartext, and TLS when configured.</summary>
internal sealed record ListenSpec(string Transport, ListenEndpoint Endpoint, HttpProtocols CleartextProtocols, ServerTls? Tls);
