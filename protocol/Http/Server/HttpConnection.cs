using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// One client connection: reads requests one after another (keep-alive, pipelined ones too), answers each
/// through the application, and closes when the client or the response asks, after a refused request, when
/// idle too long, or when the server stops. Every timeout is one <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>
/// on the connection's abort source, re-armed for each phase (waiting, receiving, sending) and disarmed while
/// the handler runs: the runtime's timer wakes only when one falls due, so an idle connection costs no CPU.
/// Firing closes the socket, which ends whatever receive or send was waiting.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private const int InitialBufferBytes = 4096;

    /// <summary>How long a refused client gets to finish sending (see <see cref="RefuseAsync"/>), and how much of it is read.</summary>
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);
    private const int LingerBytes = 64 * 1024;

    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly ApplicationRunner _application;
    private readonly HttpServerLimits _limits;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly ArrayBufferWriter<byte> _head = new(256);
    private readonly List<ArraySegment<byte>> _segments = new(2);
    private byte[] _buffer = [];

    /// <summary>The received bytes not yet consumed are <c>_buffer[_start.._end]</c>.</summary>
    private int _start;
    private int _end;

    /// <summary>
    /// Idle (waiting for a request: a stopping server may close it at once) or busy. Starts busy: a connection
    /// accepted while the server stops sees the stop before it ever waits.
    /// </summary>
    private int _state = Busy;
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Closed = 2;

    public HttpConnection(Socket socket, long number, ApplicationRunner application, HttpServerLimits limits, CancellationToken stopping, ILogger logger)
    {
        _socket = socket;
        _application = application;
        _limits = limits;
        _stopping = stopping;
        _logger = logger;
        Feature = new ConnectionFeature(number, Peer(socket, remote: false), Peer(socket, remote: true));
    }

    public ConnectionFeature Feature { get; }

    /// <summary>Serves requests until the connection ends. Throws only for a fault of the server's own, not for anything the peer or a timeout did.</summary>
    public async Task RunAsync()
    {
        using var closeOnAbort = _abort.Token.UnsafeRegister(static state => ((HttpConnection)state!).CloseSocket(), this);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            // Responses go out in one send, but a large one ends in a partial segment that Nagle's algorithm
            // would hold back until the client acknowledges the rest.
            _socket.NoDelay = true;
            while (await ServeNextAsync().ConfigureAwait(false))
            {
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException or IOException)
        {
            // The peer went away, or a timeout or the stopping server closed the socket: nobody left to answer.
        }
        finally
        {
            CloseSocket();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>For the stopping server: an idle connection is closed now, a busy one after its response.</summary>
    public void CloseIfIdle()
    {
        if (Interlocked.CompareExchange(ref _state, Closed, Idle) == Idle) Abort();
    }

    /// <summary>Closes the socket under whatever is running; the request's <see cref="HttpContext.RequestAborted"/> fires.</summary>
    public void Abort() => _abort.Cancel();

    public void Dispose() => _abort.Dispose();

    /// <summary>One request and its response; false when the connection is to close afterwards.</summary>
    private async Task<bool> ServeNextAsync()
    {
        // Published before the check (a full fence), so that a server stopping now either sees Idle or is seen here.
        Interlocked.Exchange(ref _state, Idle);
        if (_stopping.IsCancellationRequested) return false;
        _abort.CancelAfter(_limits.IdleTimeout);
        var parsed = await ReadHeadAsync().ConfigureAwait(false);
        if (parsed.Status == ParseStatus.Incomplete) return false;
        if (parsed.Status == ParseStatus.Invalid)
        {
            await RefuseAsync(parsed.ErrorStatus).ConfigureAwait(false);
            return false;
        }
        var head = parsed.Head!;
        if (!await DiscardBodyAsync(head).ConfigureAwait(false)) return false;
        // The handler's time is its own: a slow handler is not the client's fault.
        _abort.CancelAfter(Timeout.InfiniteTimeSpan);
        var request = new RequestFeature(head, _abort.Token, Abort);
        using var response = new ResponseFeature();
        var features = new FeatureCollection(5);
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpRequestLifetimeFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpConnectionFeature>(Feature);
        var exchange = new Exchange(this, head, request, response);
        await _application.RunAsync(features, exchange, static (exchange, error) => exchange.Connection.RespondAsync(exchange, error)).ConfigureAwait(false);
        return exchange.KeepAlive;
    }

    /// <summary>Receives until a whole head is in the buffer; <see cref="ParseStatus.Incomplete"/> when the peer closed first.</summary>
    private async ValueTask<ParseResult> ReadHeadAsync()
    {
        var begun = false;
        while (true)
        {
            if (_end > _start)
            {
                // The first byte ends the idle wait: from here the request has the transfer timeout to arrive whole.
                if (!begun)
                {
                    if (Interlocked.CompareExchange(ref _state, Busy, Idle) != Idle) return ParseResult.Incomplete;
                    _abort.CancelAfter(_limits.TransferTimeout);
                    begun = true;
                }
                var result = RequestParser.Parse(_buffer.AsSpan(_start, _end - _start), _limits);
                if (result.Status == ParseStatus.Complete) _start += result.Consumed;
                if (result.Status != ParseStatus.Incomplete) return result;
            }
            if (await ReceiveAsync().ConfigureAwait(false) == 0) return ParseResult.Incomplete;
        }
    }

    /// <summary>
    /// Reads a body and drops it: the endpoints take none, but the next request on the connection starts after
    /// it. The parser has refused any larger than the limit.
    /// </summary>
    private async ValueTask<bool> DiscardBodyAsync(RequestHead head)
    {
        var remaining = head.ContentLength;
        if (remaining > _end - _start && head.ExpectContinue) await _socket.SendAsync(Continue, SocketFlags.None).ConfigureAwait(false);
        while (true)
        {
            var take = (int)Math.Min(remaining, _end - _start);
            _start += take;
            remaining -= take;
            if (remaining == 0) return true;
            if (await ReceiveAsync().ConfigureAwait(false) == 0) return false;
        }
    }

    /// <summary>Receives more after what the buffer holds, making room first: 0 when the peer has closed.</summary>
    private async ValueTask<int> ReceiveAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                // Only a head grows the buffer, and the parser refuses one before it passes MaxHeadBytes.
                var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _limits.MaxHeadBytes));
                _buffer.AsSpan(0, _end).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = grown;
            }
            else
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
        }
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
        _end += read;
        return read;
    }

    /// <summary>Sends the response the handler made (or a 500 in its place), then runs its OnCompleted callbacks.</summary>
    private async Task RespondAsync(Exchange exchange, Exception? error)
    {
        var (request, response) = (exchange.Request, exchange.Response);
        // A handler that aborted, or a server that gave up waiting for it: the socket is closed already.
        if (request.AbortRequested || _abort.IsCancellationRequested) return;
        if (error is null)
        {
            try
            {
                await response.FinishBodyAsync().ConfigureAwait(false);
                await response.RunOnStartingAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A callback's failure is the handler's, answered with a 500 like the handler's own.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                error = exception;
            }
        }
        if (error is not null) Fail(exchange, error);
        exchange.KeepAlive = exchange.Head.KeepAlive && !_stopping.IsCancellationRequested && !HttpSyntax.HasToken(response.Headers.Connection, "close");
        ArraySegment<byte> body;
        try
        {
            body = FormatHead(exchange);
        }
        catch (InvalidOperationException exception)
        {
            Fail(exchange, exception);
            body = FormatHead(exchange);
        }
        _abort.CancelAfter(_limits.TransferTimeout);
        _segments.Clear();
        _segments.Add(MemoryMarshal.TryGetArray(_head.WrittenMemory, out var head) ? head : throw new InvalidOperationException("The head writer is not array-backed."));
        if (body.Count > 0) _segments.Add(body);
        await _socket.SendAsync(_segments, SocketFlags.None).ConfigureAwait(false);
        try
        {
            await response.CompleteCallbacksAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The response is out; a callback's failure is only worth a log line.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            HttpServerLog.CompletedCallbackFailed(_logger, request.Method, request.Path, exception);
        }
    }

    private void Fail(Exchange exchange, Exception error)
    {
        HttpServerLog.HandlerFailed(_logger, exchange.Request.Method, exchange.Request.Path, Feature, error);
        exchange.Response.Reset(StatusCodes.Status500InternalServerError);
    }

    /// <summary>
    /// The head into <see cref="_head"/>, and the body to send after it: none for HEAD (whose Content-Length is
    /// the one a GET would get), 304, 204 and 1xx.
    /// </summary>
    private ArraySegment<byte> FormatHead(Exchange exchange)
    {
        var response = exchange.Response;
        var status = response.StatusCode;
        ArraySegment<byte> body = response.Written;
        long? length = body.Count;
        if (ResponseHead.HasNoContent(status))
        {
            length = null;
            body = default;
        }
        else if (exchange.Head.IsHead || status == StatusCodes.Status304NotModified)
        {
            length = response.Headers.ContentLength ?? (status == StatusCodes.Status304NotModified ? null : body.Count);
            body = default;
        }
        var connection = !exchange.KeepAlive ? ConnectionDirective.Close
            : ReferenceEquals(exchange.Head.Protocol, HttpProtocol.Http10) ? ConnectionDirective.KeepAlive
            : ConnectionDirective.None;
        _head.ResetWrittenCount();
        ResponseHead.Write(_head, status, response.ReasonPhrase, response.Headers, length, connection);
        return body;
    }

    /// <summary>
    /// Answers a request that will not be served, and closes. The client may still be sending (the rest of a
    /// long head, a body): closing with unread bytes would reset the connection, and a reset can overtake the
    /// answer, so what follows is read and dropped for a moment first.
    /// </summary>
    private async Task RefuseAsync(int status)
    {
        HttpServerLog.BadRequest(_logger, Feature, status);
        _head.ResetWrittenCount();
        ResponseHead.WriteError(_head, status);
        _abort.CancelAfter(_limits.TransferTimeout);
        await _socket.SendAsync(_head.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
        _socket.Shutdown(SocketShutdown.Send);
        _abort.CancelAfter(LingerTime < _limits.TransferTimeout ? LingerTime : _limits.TransferTimeout);
        for (var drained = 0; drained < LingerBytes;)
        {
            var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None).ConfigureAwait(false);
            if (read == 0) break;
            drained += read;
        }
    }

    private void CloseSocket() => _socket.Dispose();

    /// <summary>One end of the connection, or null when it was reset between the accept and now.</summary>
    private static IPEndPoint? Peer(Socket socket, bool remote)
    {
        try
        {
            return (remote ? socket.RemoteEndPoint : socket.LocalEndPoint) as IPEndPoint;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>One request's parts, passed through the application runner to <see cref="RespondAsync"/> without a closure.</summary>
    private sealed class Exchange(HttpConnection connection, RequestHead head, RequestFeature request, ResponseFeature response)
    {
        public HttpConnection Connection { get; } = connection;

        public RequestHead Head { get; } = head;

        public RequestFeature Request { get; } = request;

        public ResponseFeature Response { get; } = response;

        /// <summary>Whether the connection serves another request after this one; decided when the response is made.</summary>
        public bool KeepAlive { get; set; }
    }
}
