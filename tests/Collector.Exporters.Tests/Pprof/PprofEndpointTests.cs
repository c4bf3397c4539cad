using System.Net;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.Pprof;
using Collector.TestKit;
using Collector.TestKit;
using static Collector.TestKit.TestBatches;

namespace Collector.Exporters.Tests.Pprof;

/// <summary><c>/debug/pprof/</c>: the next N seconds of reports, filters, the index, and refusals.</summary>
public class PprofEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Profile_holds_the_reports_of_its_window_for_the_process_asked_for()
    {
        await using var served = await ServedAsync();
        await served.Exporter.ConsumeAsync(Simple(5, pid: 42, functionPrefix: "before"), CancellationToken.None);

        var request = served.Client.GetByteArrayAsync(new Uri("/debug/pprof/profile?seconds=1&pid=200", UriKind.Relative));
        await WaitForOpenCaptureAsync(served.Exporter);
        await served.Exporter.ConsumeAsync(Known(), CancellationToken.None);
        await served.Exporter.ConsumeAsync(Simple(5, pid: 42, functionPrefix: "other"), CancellationToken.None);
        var profile = await request;

        if (!GoPprof.Available(output)) return;
        using var directory = new TempDirectory();
        var file = directory.File("profile.pb.gz");
        await System.IO.File.WriteAllBytesAsync(file, profile);
        var raw = await GoPprof.RunAsync("-raw", file);
        output.WriteLine(raw);
        Assert.Contains("process.pid:[200]", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("process.pid:[100]", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("before", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("other", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_symbol_and_refusals_answer_as_net_http_pprof_does()
    {
        await using var served = await ServedAsync();
        var index = await served.Client.GetStringAsync(new Uri("/debug/pprof/", UriKind.Relative));
        Assert.Contains("profile?seconds=30", index, StringComparison.Ordinal);
        Assert.Equal("num_symbols: 0\n", await served.Client.GetStringAsync(new Uri("/debug/pprof/symbol", UriKind.Relative)));
        using (var symbols = await served.Client.PostAsync(new Uri("/debug/pprof/symbol", UriKind.Relative), new StringContent("0x1234+0x5678")))
        {
            Assert.Equal(HttpStatusCode.OK, symbols.StatusCode);
            Assert.Empty(await symbols.Content.ReadAsStringAsync());
        }
        foreach (var bad in new[] { "seconds=0", "seconds=301", "seconds=x", "pid=abc", "process=(" })
        {
            using var response = await served.Client.GetAsync(new Uri("/debug/pprof/profile?" + bad, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using var heap = await served.Client.GetAsync(new Uri("/debug/pprof/heap", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, heap.StatusCode);
    }

    [Fact]
    public async Task Shutdown_answers_an_open_request_with_what_it_recorded()
    {
        var served = await ServedAsync();
        using var client = served.Client;
        var request = served.Client.GetByteArrayAsync(new Uri("/debug/pprof/profile?seconds=60", UriKind.Relative));
        await WaitForOpenCaptureAsync(served.Exporter);
        await served.Exporter.ConsumeAsync(Known(), CancellationToken.None);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await served.Exporter.ShutdownAsync(CancellationToken.None);
        var profile = await request;
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
        Assert.True(profile.Length > 100, $"only {profile.Length} bytes");
    }

    private static async Task WaitForOpenCaptureAsync(PprofExporter exporter)
    {
        for (var i = 0; i < 200 && exporter.OpenCaptures == 0; i++) await Task.Delay(10);
        Assert.Equal(1, exporter.OpenCaptures);
    }

    private static async Task<Served> ServedAsync()
    {
        var exporter = new PprofExporter(Settings.For("pprof", ComponentKind.Exporter), new PprofExporterOptions { Endpoint = "127.0.0.1:0" });
        await exporter.StartAsync(new TestHost(), CancellationToken.None);
        return new Served(exporter, new HttpClient { BaseAddress = new Uri(Assert.Single(exporter.Addresses)) });
    }

    private sealed record Served(PprofExporter Exporter, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Exporter.ShutdownAsync(CancellationToken.None);
            Client.Dispose();
        }
    }
}
