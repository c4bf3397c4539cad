using System.Net.Sockets;
using Collector.Core.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// A minimal HTTP/1.1 server for the collector's own endpoints (metrics, health), in place of Kestrel, whose
/// one-second heartbeat was most of an idle collector's CPU. Nothing here runs on a clock: while no request
/// comes, no thread wakes. It plugs into the hosting layer as an <see cref="IServer"/>, so handlers see an
/// ordinary <c>HttpContext</c>.
/// <para>Lifecycle: <see cref="StartAsync{TContext}"/> binds (an <see cref="IOException"/> when it cannot) and
/// accepts; <see cref="StopAsync"/> stops accepting, closes idle connections, lets running requests finish
/// until its token fires and then closes their connections under them; <see cref="Dispose"/> closes
/// everything at once.</para>
/// </summary>
internal sealed class HttpServer : IServer
{
    /// <summary>How long to wait after an accept failure (out of descriptors, say) before the next try, rather than spin.</summary>
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromSeconds(1);

    private readonly ListenAddress _address;
    private readonly HttpServerLimits _limits;
    private readonly ILogger _logger;
    private readonly ServerAddressesFeature _addresses = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<HttpConnection, Task> _connections = [];
    private readonly LogThrottle _refusedLog = new(TimeProvider.System, TimeSpan.FromMinutes(1));
    private readonly LogThrottle _acceptLog = new(TimeProvider.System, TimeSpan.FromMinutes(1));
    private IReadOnlyList<Socket> _listeners = [];
    private Task _accepting = Task.CompletedTask;
    private long _accepted;

    public HttpServer(ListenAddress address, HttpServerLimits limits, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _address = address;
        _limits = limits;
        _logger = loggerFactory.CreateLogger($"http/{address}");
        Features.Set<IServerAddressesFeature>(_addresses);
    }

    /// <summary>Holds <see cref="IServerAddressesFeature"/>: the URLs bound, with the real port where 0 was asked for.</summary>
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        var bound = await ListenSockets.BindAsync(_address, _logger, cancellationToken).ConfigureAwait(false);
        _listeners = bound.Sockets;
        // The hosting layer may have put configured URLs here; what counts is what was bound.
        _addresses.Addresses.Clear();
        foreach (var url in bound.Urls) _addresses.Addresses.Add(url);
        var runner = ApplicationRunner.For(application);
        _accepting = Task.WhenAll(_listeners.Select(listener => AcceptAsync(listener, runner)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners) listener.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            foreach (var connection in _connections.Keys) connection.CloseIfIdle();
            running = [.. _connections.Values];
        }
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HttpServerLog.StopAborted(_logger, AbortAll());
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var listener in _listeners) listener.Dispose();
        AbortAll();
        _stopping.Dispose();
    }

    private int AbortAll()
    {
        lock (_gate)
        {
            foreach (var connection in _connections.Keys) connection.Abort();
            return _connections.Count;
        }
    }

    private async Task AcceptAsync(Socket listener, ApplicationRunner application)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException error)
            {
                if (_acceptLog.ShouldLog(out var suppressed)) HttpServerLog.AcceptFailed(_logger, error.Message, suppressed);
                await Task.Delay(AcceptRetryDelay).ConfigureAwait(false);
                continue;
            }
            Admit(socket, application);
        }
    }

    /// <summary>
    /// Starts serving an accepted connection, unless the server is stopping or already has the most it allows:
    /// then the connection is closed at once, so a flood of them cannot pile up descriptors and buffers.
    /// </summary>
    private void Admit(Socket socket, ApplicationRunner application)
    {
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested && _connections.Count < _limits.MaxConnections)
            {
                var connection = new HttpConnection(socket, ++_accepted, application, _limits, _stopping.Token, _logger);
                // ServeAsync removes the connection under this lock, so it cannot do so before it is added.
                _connections.Add(connection, Task.Run(() => ServeAsync(connection)));
                return;
            }
        }
        // Logged before closing, so whoever sees the connection closed can already find why in the log.
        if (!_stopping.IsCancellationRequested && _refusedLog.ShouldLog(out var suppressed)) HttpServerLog.ConnectionRefused(_logger, _limits.MaxConnections, suppressed);
        socket.Dispose();
    }

    private async Task ServeAsync(HttpConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A fault in one connection must not take the process down; it is logged and the connection closed.
        catch (Exception error)
#pragma warning restore CA1031
        {
            HttpServerLog.ConnectionFailed(_logger, connection.Feature, error);
        }
        finally
        {
            lock (_gate) _connections.Remove(connection);
            connection.Dispose();
        }
    }
}
