using System.Net;
using Collector.Protocol.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http;

/// <summary>
/// A small HTTP endpoint that answers every request with one handler: the metrics endpoints, the health check and
/// the pprof endpoint. It is Kestrel (HTTP/1.1), the server already in the process for the otlp receiver; its
/// one-second heartbeat is its only cost while idle (docs/telemetry.md measures it). No routing, no configuration
/// providers; its logs go to the collector's logger factory.
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
        // Resolved before Kestrel is configured, whose options callback cannot wait.
        var addresses = address.Host.Length == 0 || (address.IsLocalhost && address.Port != 0) ? null : await ResolveAsync(address, cancellationToken).ConfigureAwait(false);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            // The endpoints take no body; a small limit keeps a stray upload from being buffered.
            options.Limits.MaxRequestBodySize = 64 * 1024;
            if (address.Host.Length == 0) options.ListenAnyIP(address.Port);
            else if (addresses is null) options.ListenLocalhost(address.Port);
            else foreach (var ip in addresses) options.Listen(ip, address.Port);
        });
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            // Callers tell a port in use by IOException, as with any listener.
            throw new IOException($"cannot listen on {address}: {error.Message}", error);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        return new HttpEndpoint(app, bound);
    }

    /// <summary>
    /// The addresses to bind: an IP as given; <c>localhost</c> with port 0 as IPv4 loopback only (two sockets could
    /// not share one ephemeral port); a host name as it resolves.
    /// </summary>
    private static async Task<IReadOnlyList<IPAddress>> ResolveAsync(ListenAddress address, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address.Host, out var ip)) return [ip];
        if (address.IsLocalhost) return [IPAddress.Loopback];
        var resolved = await Dns.GetHostAddressesAsync(address.Host, cancellationToken).ConfigureAwait(false);
        if (resolved.Length == 0) throw new IOException($"host name \"{address.Host}\" resolves to no address");
        return resolved.Distinct().ToArray();
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
