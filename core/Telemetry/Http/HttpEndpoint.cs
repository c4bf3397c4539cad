using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Collector.Core.Telemetry.Http;

/// <summary>
/// A small Kestrel server that answers every request with one handler: the metrics endpoints and the health
/// check. No routing, no configuration providers; its logs go to the collector's logger factory.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
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
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            Listen(options, address);
        });
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
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions options, ListenAddress address)
    {
        if (address.IsLocalhost)
        {
            // Kestrel cannot pick a free port for "localhost" (two interfaces); port 0 then means 127.0.0.1.
            if (address.Port == 0) options.Listen(IPAddress.Loopback, 0);
            else options.ListenLocalhost(address.Port);
        }
        else if (address.Host.Length == 0)
        {
            options.ListenAnyIP(address.Port);
        }
        else if (IPAddress.TryParse(address.Host, out var ip))
        {
            options.Listen(ip, address.Port);
        }
        else
        {
            foreach (var resolved in Dns.GetHostAddresses(address.Host)) options.Listen(resolved, address.Port);
        }
    }
}
