using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Collector.Host.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a free loopback port with a temporary config and storage,
/// scraping the given targets every second. Disposing kills it and removes its files.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, TempDirectory dir, int port)
    {
        _process = process;
        _dir = dir;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts Prometheus with one job per target (<c>job</c> name → <c>host:port</c>, path /metrics).</summary>
    public static PrometheusServer Start(IReadOnlyDictionary<string, string> targets)
    {
        var dir = new TempDirectory();
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var (job, target) in targets)
        {
            config.Append($"  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n");
        }
        var port = FreePort.Next();
        var start = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir.Path,
        };
        foreach (var argument in new[]
        {
            $"--config.file={dir.Write("prometheus.yml", config.ToString())}",
            $"--storage.tsdb.path={dir.File("data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        var server = new PrometheusServer(process, dir, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Instant query through the HTTP API: each result's labels and value.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        if (_process.HasExited) throw new InvalidOperationException($"prometheus exited ({_process.ExitCode}):\n{Log}");
        var json = await Client.GetStringAsync(new Uri($"{BaseUrl}/api/v1/query?query={Uri.EscapeDataString(promql)}"));
        using var document = JsonDocument.Parse(json);
        var results = new List<(Dictionary<string, string>, double)>();
        foreach (var result in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = result.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            var value = double.Parse(result.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            results.Add((labels, value));
        }
        return results;
    }

    /// <summary>The targets API as text, for failure messages (it names each target's last scrape error).</summary>
    public async Task<string> TargetsAsync()
    {
        try
        {
            return await Client.GetStringAsync(new Uri($"{BaseUrl}/api/v1/targets"));
        }
        catch (HttpRequestException error)
        {
            return $"(targets unavailable: {error.Message})";
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
