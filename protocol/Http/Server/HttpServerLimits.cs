namespace Collector.Protocol.Http.Server;

/// <summary>
/// The bounds of the embedded HTTP/1.1 server. Its clients are scrapers and health probes sending small GETs,
/// so anything much larger or slower than such a request is refused rather than waited for or buffered.
/// </summary>
internal sealed record HttpServerLimits
{
    public static HttpServerLimits Default { get; } = new();

    /// <summary>
    /// How long a connection may wait for its next request before it is closed. Longer than any usual scrape
    /// interval (Prometheus keeps its connection between scrapes, 15 s apart by default), so a scraper's
    /// connection is reused rather than reopened.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the rest of a request may take once its first byte arrived, and how long the client may take
    /// to accept the response: a stalled peer holds a connection no longer than this.
    /// </summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections beyond this many are accepted and closed at once.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>The request line (method, target, version) without its line ending; longer is answered 414.</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>All header lines together, line endings included; more is answered 431.</summary>
    public int MaxHeaderBytes { get; init; } = 32 * 1024;

    /// <summary>A request body is read and dropped (the endpoints take none) up to this size; larger is answered 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>The most a request head can take in the receive buffer: the line, the headers and their line endings.</summary>
    internal int MaxHeadBytes => MaxRequestLineBytes + MaxHeaderBytes + 4;
}
