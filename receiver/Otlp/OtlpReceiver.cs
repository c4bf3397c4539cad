using System.Net;
using Collector.Core.Components;
using Collector.Core.Extensions;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Otlp;

/// <summary>
/// The gateway's entrance: OTLP profiles over gRPC and HTTP, each on its own in-process Kestrel server.
/// Every request is decoded, checked to stand alone, and pushed downstream before it is answered, so a
/// success means the pipeline has the data. Backpressure is passed back to the sender: a pipeline that says
/// "retry later", or a receiver already holding <see cref="OtlpReceiverOptions.MaxConcurrentRequests"/>
/// requests, answers UNAVAILABLE / 503 at once instead of buffering.
/// <para>Shutdown stops accepting connections, lets requests in progress finish until the token fires, and
/// then aborts what is left (those clients see a reset and retry).</para>
/// </summary>
public sealed class OtlpReceiver : IReceiver
{
    private readonly OtlpReceiverOptions _options;
    private readonly ComponentId _id;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly OtlpReceiverContext _context;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly List<KestrelListener> _listeners = [];
    private readonly List<ServerTls> _tls = [];
    private bool _started;
    private bool _stopped;

    public OtlpReceiver(ComponentCreateSettings settings, OtlpReceiverOptions options, IProfilesConsumer next)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        _options = options;
        _id = settings.Id;
        _logger = settings.CreateLogger();
        _loggerFactory = settings.LoggerFactory;
        _context = new OtlpReceiverContext(new ExportHandler(next, _logger, settings.TimeProvider), options.MaxConcurrentRequests, _logger, settings.TimeProvider);
    }

    /// <summary>What arrived over gRPC.</summary>
    public TransportCounters Grpc => _context.Grpc;

    /// <summary>What arrived over HTTP.</summary>
    public TransportCounters Http => _context.Http;

    /// <summary>Where the gRPC server listens once started (the real port when 0 was configured); empty otherwise.</summary>
    public IReadOnlyList<IPEndPoint> GrpcEndpoints { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> HttpEndpoints { get; private set; } = [];

    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started || _stopped) return;
            _started = true;
            try
            {
                if (_options.Protocols.Grpc is { } grpc)
                {
                    var admission = new GrpcAdmission(_context, Authenticator(host, grpc.Auth, "grpc"));
                    var service = new GrpcExportService(_context);
                    var maxMessageBytes = grpc.MaxMessageBytes;
                    // Cleartext gRPC is HTTP/2 with prior knowledge (h2c); there is no HTTP/1.1 to upgrade from.
                    var listener = await ListenAsync("grpc", grpc.Endpoint, HttpProtocols.Http2, grpc.Tls, services =>
                    {
                        services.AddGrpc(options =>
                        {
                            options.MaxReceiveMessageSize = maxMessageBytes;
                            options.CompressionProviders = [new BoundedGzipProvider(maxMessageBytes)];
                        });
                        services.AddSingleton(new GrpcExportBinding(service));
                        services.AddSingleton<IServiceMethodProvider<GrpcExportBinding>, GrpcExportBinding.Provider>();
                    }, app =>
                    {
                        app.Use(admission.InvokeAsync);
                        app.MapGrpcService<GrpcExportBinding>();
                    }, cancellationToken).ConfigureAwait(false);
                    GrpcEndpoints = listener.Endpoints;
                }
                if (_options.Protocols.Http is { } http)
                {
                    var endpoint = new HttpExportEndpoint(_context, Authenticator(host, http.Auth, "http"), http.MaxBodyBytes);
                    var listener = await ListenAsync("http", http.Endpoint, HttpProtocols.Http1, http.Tls, endpoint.HandleAsync, cancellationToken).ConfigureAwait(false);
                    HttpEndpoints = listener.Endpoints;
                }
            }
            catch
            {
                // A half-started receiver would hold a port nobody serves properly.
                await StopListenersAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_stopped) return;
            _stopped = true;
            await StopListenersAsync(cancellationToken).ConfigureAwait(false);
            if (_started)
            {
                _logger.Stopped(
                    Grpc.AcceptedSamples + Http.AcceptedSamples,
                    Grpc.RefusedSamples + Http.RefusedSamples,
                    Grpc.FailedSamples + Http.FailedSamples,
                    Grpc.SuccessRequests + Grpc.RefusedRequests + Grpc.FailedRequests,
                    Http.SuccessRequests + Http.RefusedRequests + Http.FailedRequests);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private Task<KestrelListener> ListenAsync(string transport, string endpointText, HttpProtocols cleartext, TlsServerOptions? tlsOptions,
        Microsoft.AspNetCore.Http.RequestDelegate handler, CancellationToken cancellationToken) =>
        ListenAsync(transport, endpointText, cleartext, tlsOptions, static _ => { }, KestrelListener.Serve(handler), cancellationToken);

    private async Task<KestrelListener> ListenAsync(string transport, string endpointText, HttpProtocols cleartext, TlsServerOptions? tlsOptions,
        Action<IServiceCollection> services, Action<WebApplication> pipeline, CancellationToken cancellationToken)
    {
        var endpoint = ListenEndpoint.Parse(endpointText);
        ServerTls? tls = null;
        if (tlsOptions is not null)
        {
            tls = ServerTls.Load(tlsOptions);
            _tls.Add(tls);
        }
        var listener = await KestrelListener.StartAsync(new ListenSpec(transport, endpoint, cleartext, tls), services, pipeline, _loggerFactory, cancellationToken).ConfigureAwait(false);
        _listeners.Add(listener);
        var security = tls is null ? " (cleartext)" : tls.IsMutual ? " (TLS, client certificates required)" : " (TLS)";
        _logger.Listening(transport, string.Join(", ", listener.Endpoints), security);
        return listener;
    }

    /// <summary>Resolves <c>auth.authenticator</c>; extensions have started by now, so a miss is a configuration error.</summary>
    private IServerAuthenticator? Authenticator(IComponentHost host, AuthOptions? auth, string transport)
    {
        if (auth is null) return null;
        var id = ComponentId.Parse(auth.Authenticator);
        return host.GetExtension(id) switch
        {
            IServerAuthenticator authenticator => authenticator,
            null => throw new InvalidOperationException(
                $"receiver {_id}: protocols::{transport}::auth names the authenticator \"{id}\", which is not a running extension; configure it under extensions and list it in service::extensions"),
            var other => throw new InvalidOperationException(
                $"receiver {_id}: protocols::{transport}::auth names \"{id}\", a {other.GetType().Name}, which cannot authenticate requests"),
        };
    }

    private async Task StopListenersAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_listeners.Select(l => l.StopAsync(cancellationToken))).ConfigureAwait(false);
        foreach (var listener in _listeners) await listener.DisposeAsync().ConfigureAwait(false);
        _listeners.Clear();
        foreach (var tls in _tls) tls.Dispose();
        _tls.Clear();
    }
}
