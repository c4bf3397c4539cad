using Collector.Protocol.Hosting;
using Collector.Protocol.Http.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http;

/// <summary>
/// A small HTTP/1.1 endpoint that answers every request with one handler: the metrics endpoints and the health
/// check. It runs our own <see cref="HttpServer"/> rather than Kestrel, so that an idle collector has no server
/// timer waking it; the hosting layer around it is unchanged, and handlers get an ordinary HttpContext.
/// No routing, no configuration providers; its logs go to the collector's logger factory.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    /// <summary>How long requests still running at shutdown may take before their connections are closed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private HttpEndpoint(WebApplication app, IReadOnlyList<string> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The addresses actually bound, e.g. <c>http://127.0.0.1:9464</c> (a requested port 0 shows the real one).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Binds and starts; throws (an <see cref="IOException"/> for a port in use) when it cannot listen.</summary>
    public static async Task<HttpEndpoint> StartAsync(ListenAddress address, RequestDelegate handler, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new QuietHostingLoggerFactory(loggerFactory));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedServerLifetime>();
        builder.Services.AddSingleton<IServer>(services => new HttpServer(address, HttpServerLimits.Default, services.GetRequiredService<ILoggerFactory>()));
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        return new HttpEndpoint(app, bound);
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopGrace))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
