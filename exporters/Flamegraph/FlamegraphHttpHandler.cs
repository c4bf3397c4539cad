using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Collector.Exporters.Flamegraph;

/// <summary>
/// Serves the page (<c>/</c> and its embedded files) and its data, <c>/api/stacks?from=ms&amp;to=ms</c> (Unix
/// milliseconds; the last five minutes when left out). A plain <see cref="RequestDelegate"/>, so it runs on whichever
/// HTTP server hosts it.
/// </summary>
internal sealed class FlamegraphHttpHandler(StackWindow window, TimeProvider time)
{
    private static readonly TimeSpan DefaultRange = TimeSpan.FromMinutes(5);

    public async Task ServeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return;
        }
        var path = context.Request.Path.Value ?? "/";
        if (path == "/api/stacks")
        {
            await StacksAsync(context).ConfigureAwait(false);
            return;
        }
        if (PageAssets.TryGet(path, out var content, out var contentType))
        {
            await WriteAsync(context, StatusCodes.Status200OK, contentType, content).ConfigureAwait(false);
            return;
        }
        await WriteAsync(context, StatusCodes.Status404NotFound, "text/plain; charset=utf-8", "not found\n"u8.ToArray()).ConfigureAwait(false);
    }

    private async Task StacksAsync(HttpContext context)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!TryMilliseconds(context.Request.Query["to"], now, out var to) ||
            !TryMilliseconds(context.Request.Query["from"], to - (long)DefaultRange.TotalMilliseconds, out var from) || from >= to)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "text/plain; charset=utf-8", "from and to are Unix milliseconds, from before to\n"u8.ToArray()).ConfigureAwait(false);
            return;
        }
        var (entries, oldest, newest) = window.Query(from, to);
        var body = StacksJson.Write(entries, from, to, oldest, newest);
        context.Response.Headers.CacheControl = "no-store";
        await WriteAsync(context, StatusCodes.Status200OK, "application/json", body).ConfigureAwait(false);
    }

    private static bool TryMilliseconds(string? text, long fallback, out long value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
