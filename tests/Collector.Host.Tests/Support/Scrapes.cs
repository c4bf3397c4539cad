using System.Net.Http.Headers;

namespace Collector.Host.Tests.Support;

/// <summary>HTTP helpers for the collector's endpoints, retrying while the process is still starting.</summary>
public static class Scrapes
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public const string OpenMetricsAccept = "application/openmetrics-text; version=1.0.0";

    /// <summary>GET with an optional Accept header: status, content type, body.</summary>
    public static async Task<(int Status, string ContentType, string Body)> GetAsync(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="url"/> until <paramref name="done"/> accepts the body; returns that body.</summary>
    public static async Task<string> UntilAsync(CollectorProcess collector, string url, Func<string, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "(no answer yet)";
        while (true)
        {
            try
            {
                var (status, _, body) = await GetAsync(url);
                if (status == 200) last = body;
                if (status == 200 && done(body)) return body;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A slow answer on a loaded machine; ask again.
            }
            if (collector.HasExited) throw new InvalidOperationException($"collector exited before {what}; stderr:\n{collector.Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what} at {url}; last body:\n{last}\nstderr:\n{collector.Stderr}");
            await Task.Delay(200);
        }
    }
}
