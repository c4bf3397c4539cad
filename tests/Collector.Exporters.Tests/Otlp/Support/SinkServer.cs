using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Tests.Otlp.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 that hands every request to a delegate: the common part of the test sinks.
/// Port 0 picks a free port; a sink restarted on the port of one that stopped plays a backend coming back.
/// </summary>
internal sealed class SinkServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SinkServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SinkServer> StartAsync(int port, HttpProtocols protocols, X509Certificate2? certificate, X509Certificate2? clientAuthority, RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 256 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = protocols;
                if (certificate is null) return;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    if (clientAuthority is null) return;
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (client, _, _) => TestCertificates.IsSignedBy(client, clientAuthority);
                });
            });
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Urls.Count > 0 ? new Uri(app.Urls.First()) : null;
        var bound = port != 0 ? port : address?.Port ?? throw new InvalidOperationException("Kestrel reported no address");
        return new SinkServer(app, bound);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
