using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Collector.Protocol.Tests.Http.Server.Support;

/// <summary>
/// A client on a bare socket, to send what HttpClient never would (bad request lines, pipelined requests,
/// half a head) and to see exactly what comes back and when the server closes. Every read gives up after
/// <see cref="Patience"/> so a failing test cannot hang.
/// </summary>
internal sealed class RawClient : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;

    private RawClient(Socket socket) => _socket = socket;

    public static async Task<RawClient> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return new RawClient(socket);
    }

    public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.Latin1.GetBytes(text), SocketFlags.None);

    /// <summary>Sends a GET with the given extra header lines (each ending in CRLF).</summary>
    public Task GetAsync(string path, string headers = "") => SendAsync($"GET {path} HTTP/1.1\r\nHost: test\r\n{headers}\r\n");

    /// <summary>Reads one response: its head, and as many body bytes as its Content-Length says (none when <paramref name="noBody"/>).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool noBody = false)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (await ReceiveAsync() == 0) throw new IOException($"Closed after {_end - _start} bytes of a response head: {Encoding.Latin1.GetString(_buffer, _start, _end - _start)}");
        }
        var head = Encoding.Latin1.GetString(_buffer, _start, end);
        _start += end + 4;
        var lines = head.Split("\r\n");
        var headers = new List<(string Name, string Value)>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add((line[..colon], line[(colon + 1)..].Trim()));
        }
        var response = new RawResponse(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), lines[0], headers, "");
        var length = noBody || response.Header("Content-Length") is not { } value ? 0 : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        while (_end - _start < length)
        {
            if (await ReceiveAsync() == 0) throw new IOException("Closed in the middle of a response body");
        }
        var body = Encoding.Latin1.GetString(_buffer, _start, length);
        _start += length;
        return response with { Body = body };
    }

    /// <summary>True when the server closes the connection (in order or with a reset) with nothing more sent, within <see cref="Patience"/>.</summary>
    public async Task<bool> ClosedAsync()
    {
        try
        {
            return _end == _start && await ReceiveAsync() == 0;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>True when nothing arrives and the connection stays open for <paramref name="wait"/>.</summary>
    public async Task<bool> QuietForAsync(TimeSpan wait)
    {
        if (_end > _start) return false;
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<int> ReceiveAsync()
    {
        if (_start == _end) _start = _end = 0;
        using var timeout = new CancellationTokenSource(Patience);
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
        _end += read;
        return read;
    }
}

internal sealed record RawResponse(int Status, string StatusLine, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).LastOrDefault();

    public bool Has(string name) => Headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
