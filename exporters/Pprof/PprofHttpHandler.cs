using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Collector.Exporters.Pprof;

/// <summary>
/// The routes of Go's <c>net/http/pprof</c> that make sense for a CPU profiler: <c>/debug/pprof/</c> (an index),
/// <c>/debug/pprof/profile?seconds=N</c> (the samples of the next N seconds, default 30, as a gzipped profile;
/// optional <c>pid</c>, <c>process</c>, <c>container_id</c>) and <c>/debug/pprof/symbol</c>, which answers
/// <c>num_symbols: 0</c> to a GET and names nothing in a POST: every frame arrives named, or cannot be named here.
/// A plain <see cref="RequestDelegate"/>, so it runs on whichever HTTP server hosts it.
/// </summary>
internal sealed class PprofHttpHandler(ProfileCaptures captures, int maxSeconds, CancellationToken stopping)
{
    public const string Prefix = "/debug/pprof";

    private const int DefaultSeconds = 30;

    public async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == Prefix + "/symbol" && HttpMethods.IsPost(context.Request.Method))
        {
            // go tool pprof posts the addresses it would like named; every frame is named already, so: none.
            await WriteAsync(context, StatusCodes.Status200OK, "text/plain; charset=utf-8", []).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return;
        }
        switch (path)
        {
            case Prefix or Prefix + "/":
                await WriteAsync(context, StatusCodes.Status200OK, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(IndexPage)).ConfigureAwait(false);
                return;
            case Prefix + "/profile":
                await ProfileAsync(context).ConfigureAwait(false);
                return;
            case Prefix + "/symbol":
                await WriteAsync(context, StatusCodes.Status200OK, "text/plain; charset=utf-8", "num_symbols: 0\n"u8.ToArray()).ConfigureAwait(false);
                return;
            default:
                await WriteAsync(context, StatusCodes.Status404NotFound, "text/plain; charset=utf-8",
                    Encoding.UTF8.GetBytes($"Unknown profile: only CPU profiles are served, at {Prefix}/profile\n")).ConfigureAwait(false);
                return;
        }
    }

    private async Task ProfileAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var seconds = DefaultSeconds;
        if (query["seconds"].ToString() is { Length: > 0 } text &&
            (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds < 1 || seconds > maxSeconds))
        {
            await BadRequestAsync(context, $"seconds must be a whole number from 1 to {maxSeconds}").ConfigureAwait(false);
            return;
        }
        if (!ProfileFilter.TryParse(query["pid"], query["process"], query["container_id"], out var filter, out var error))
        {
            await BadRequestAsync(context, error!).ConfigureAwait(false);
            return;
        }

        var capture = captures.Open(filter);
        byte[] profile;
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                // Shutting down: the client gets what was recorded so far rather than nothing.
            }
        }
        finally
        {
            profile = captures.Close(capture);
        }
        context.Response.Headers.ContentDisposition = "attachment; filename=\"profile\"";
        await WriteAsync(context, StatusCodes.Status200OK, "application/octet-stream", profile).ConfigureAwait(false);
    }

    private static Task BadRequestAsync(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message + "\n"));

    private static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private const string IndexPage = """
        <!DOCTYPE html>
        <html><head><title>/debug/pprof/</title></head>
        <body>
        <h1>/debug/pprof/</h1>
        <p>CPU profiles of the processes this collector samples, recorded from the moment of the request.</p>
        <table>
        <tr><td><a href="profile?seconds=30">profile</a></td><td>CPU profile of the next N seconds (<code>?seconds=N</code>, default 30;
        filters <code>pid</code>, <code>process</code> (regex on the executable name or path), <code>container_id</code> (or a prefix)).
        Gzipped profile.proto.</td></tr>
        </table>
        <p>Read one with <code>go tool pprof http://HOST:PORT/debug/pprof/profile?seconds=30</code>
        (add <code>-http=:8080</code> for its web UI).</p>
        </body></html>
        """;
}
