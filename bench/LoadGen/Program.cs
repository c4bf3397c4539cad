using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Collector.Bench;

// Gateway benchmark (bench/gateway.sh): this process pushes OTLP profiles over gRPC to a collector running
// `otlp` receiver → (`memory_limiter` →) `otlp_grpc` exporter, which forwards them to a sink in this process; all
// on 127.0.0.1. Closed loop by default: each of --concurrency streams sends its next export as soon as the
// previous one is answered. With --rate, open loop: exports start at that many samples/s whatever the answers.
var options = Arguments.Parse(args);
var payloads = new Payloads(variants: 16, options.SamplesPerRequest);
await using var sink = await Sink.StartAsync();
var receiverPort = FreePort();
var config = Path.Combine(Path.GetTempPath(), $"gateway-bench-{Environment.ProcessId}.yaml");
var limiter = options.LimitMib > 0
    ? $"processors:\n  memory_limiter: {{check_interval: {options.CheckInterval}, limit_mib: {options.LimitMib}{(options.SpikeLimitMib > 0 ? $", spike_limit_mib: {options.SpikeLimitMib}" : "")}}}\n"
    : "";
File.WriteAllText(config, $$"""
    receivers:
      otlp:
        protocols:
          grpc: {endpoint: "127.0.0.1:{{receiverPort}}", max_recv_msg_size_mib: 16}
    {{limiter}}exporters:
      otlp_grpc:
        endpoint: "127.0.0.1:{{sink.Port}}"
        tls: {insecure: true}
    service:
      pipelines:
        profiles: {receivers: [otlp], processors: [{{(options.LimitMib > 0 ? "memory_limiter" : "")}}], exporters: [otlp_grpc]}
    """);

using var collector = StartCollector(options, config);
using var rss = new RssWatch(collector.Id, TimeSpan.FromSeconds(5));
var ready = new TaskCompletionSource();
collector.ErrorDataReceived += (_, e) =>
{
    if (e.Data is null) return;
    if (e.Data.Contains("Everything is ready", StringComparison.Ordinal)) ready.TrySetResult();
    if (e.Data.Contains("fail", StringComparison.OrdinalIgnoreCase) || e.Data.Contains("error", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("collector: " + e.Data);
};
collector.BeginErrorReadLine();
await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };
var target = new Uri($"http://127.0.0.1:{receiverPort}/{Collector.Otlp.Proto.Collector.ProfilesService.Descriptor.FullName}/Export");
var load = new Load(http, target, payloads);
using var stop = new CancellationTokenSource();
var workers = options.Rate > 0
    ? [Task.Run(() => load.RunOpenLoopAsync(options.Rate, options.Concurrency, stop.Token))]
    : Enumerable.Range(0, options.Concurrency).Select(i => Task.Run(() => load.RunAsync(i, stop.Token))).ToArray();

// The warm-up's forwarding rate, in steps of 5 s: on one CPU the runtime takes tens of seconds to compile the hot
// code fully (see bench/gateway.sh), and this row shows when the collector got there.
var ramp = new List<double>();
var warmup = Stopwatch.StartNew();
while (warmup.Elapsed < TimeSpan.FromSeconds(options.WarmupSeconds))
{
    var step = Math.Min(5, options.WarmupSeconds - warmup.Elapsed.TotalSeconds);
    if (step < 0.5) break;
    var stepStart = (Samples: sink.Samples, warmup.Elapsed);
    await Task.Delay(TimeSpan.FromSeconds(step));
    ramp.Add((sink.Samples - stepStart.Samples) / (warmup.Elapsed - stepStart.Elapsed).TotalSeconds);
}
var before = Snapshot.Take(collector.Id, sink, load);
await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
var after = Snapshot.Take(collector.Id, sink, load);
// Stop sending, and let every stream have the answer to its request in flight: only then is "acknowledged" final.
await stop.CancelAsync();
await Task.WhenAll(workers);

// Everything the receiver acknowledged must reach the sink. Wait for the collector's queue to drain, then a
// little longer with nothing arriving, so that a late duplicate would be seen too.
var drained = Stopwatch.StartNew();
var quietSince = Stopwatch.StartNew();
var lastSeen = sink.Samples;
while (drained.Elapsed < TimeSpan.FromSeconds(30) && (sink.Samples < load.AcceptedSamples || quietSince.Elapsed < TimeSpan.FromSeconds(1)))
{
    await Task.Delay(50);
    if (sink.Samples != lastSeen)
    {
        lastSeen = sink.Samples;
        quietSince.Restart();
    }
}
var delivered = sink.Samples;
var lost = Math.Max(0, load.AcceptedSamples - delivered);
// Beyond what was acknowledged: requests that got no answer (the collector may have taken them), or duplicates.
var unacknowledged = Math.Max(0, delivered - load.AcceptedSamples);
var peakRss = Snapshot.PeakRssBytes(collector.Id);
collector.Kill(entireProcessTree: false);
await collector.WaitForExitAsync();
File.Delete(config);

var window = after.At - before.At;
var cpuSeconds = (after.CpuTicks - before.CpuTicks) / (double)options.ClockTicks;
var sinkLatencies = sink.LatenciesMs.Skip(before.SinkLatencyCount).Take(after.SinkLatencyCount - before.SinkLatencyCount).Order().ToList();
var ackLatencies = load.LatenciesMs(before.AckCount, after.AckCount).Order().ToList();
var rows = new (string, string)[]
{
    ("load", (options.Rate > 0
        ? $"open loop, {F(options.Rate)} samples/s offered (at most {options.Concurrency} requests unanswered)"
        : $"closed loop, {options.Concurrency} streams") + $" x {options.SamplesPerRequest} samples/request, gzip ({payloads.AverageCompressedBytes / 1024:0} KiB), {window.TotalSeconds:0.0} s measured"),
    ("pipeline", options.LimitMib > 0 ? $"otlp -> memory_limiter (check_interval {options.CheckInterval}, limit_mib {options.LimitMib}, spike {options.EffectiveSpikeMib}: soft {options.LimitMib - options.EffectiveSpikeMib} MiB) -> otlp_grpc" : "otlp -> otlp_grpc"),
    ("collector", options.Cpu is null ? "unpinned" : $"pinned to CPU {options.Cpu} (taskset)"),
    ("samples/s forwarded", F((after.SinkSamples - before.SinkSamples) / window.TotalSeconds)),
    ("samples/s forwarded during warm-up, per 5 s", string.Join(", ", ramp.Select(F))),
    ("requests/s forwarded", F((after.SinkRequests - before.SinkRequests) / window.TotalSeconds)),
    ("receiver ack latency p50 / p99", $"{Percentile(ackLatencies, 0.50):0.0} / {Percentile(ackLatencies, 0.99):0.0} ms"),
    ("end-to-end latency p50 / p99", $"{Percentile(sinkLatencies, 0.50):0.0} / {Percentile(sinkLatencies, 0.99):0.0} ms"),
    ("collector CPU", $"{100 * cpuSeconds / window.TotalSeconds:0} % of one core"),
    ("collector RSS peak (VmHWM, whole run)", $"{peakRss / (1024.0 * 1024):0} MiB" + (options.LimitMib > 0 ? $" (limit + spike: {options.LimitMib + options.EffectiveSpikeMib} MiB)" : "")),
    ("requests sent / skipped (open loop, too many unanswered)", $"{F(load.SentRequests)} / {F(load.SkippedRequests)}"),
    (options.Rate > 0 ? "refused (not sent again)" : "refused (retried after 10 ms)", F(load.RefusedRequests) + (load.FirstRefusal is { } first ? $" (first: {first})" : "")),
    ("refused by: memory_limiter / full sending queue / max_concurrent_requests / not retryable",
        $"{F(load.RefusedByMemoryLimiter)} / {F(load.RefusedByFullQueue)} / {F(load.RefusedByConcurrencyLimit)} / {F(load.RefusedNotRetryable)}"),
    ("acknowledged / delivered", $"{F(load.AcceptedSamples)} / {F(delivered)} samples over the whole run"),
    ("unanswered (no status; may or may not arrive)", F(load.UnansweredSamples) + " samples" + (load.FirstUnanswered is { } lostAnswer ? $" (first: {lostAnswer})" : "")),
    ("collector RSS, highest in each 5 s", string.Join(", ", rss.Steps.Select(b => $"{b / (1024.0 * 1024):0}"))),
    ("delivered, not acknowledged", F(unacknowledged) + " samples" + (unacknowledged > load.UnansweredSamples ? " (more than were unanswered: duplicates)" : "")),
    ("lost (acknowledged, not delivered)", F(lost) + " samples"),
};
Console.WriteLine("| metric | value |");
Console.WriteLine("|---|---|");
foreach (var (name, value) in rows) Console.WriteLine($"| {name} | {value} |");
// One line for bench/gateway.sh to take medians over runs.
Console.WriteLine(FormattableString.Invariant(
    $"result forwarded_per_s={(after.SinkSamples - before.SinkSamples) / window.TotalSeconds:0} peak_rss_mib={peakRss / (1024.0 * 1024):0} refused={load.RefusedRequests} refused_memory={load.RefusedByMemoryLimiter} refused_queue={load.RefusedByFullQueue} refused_concurrency={load.RefusedByConcurrencyLimit} acked={load.AcceptedSamples} delivered={delivered} lost={lost} cpu_percent={100 * cpuSeconds / window.TotalSeconds:0}"));
// Pass/fail is about loss: a sample the receiver acknowledged must arrive.
if (lost > 0) Console.Error.WriteLine($"loadgen: {F(lost)} acknowledged samples never reached the sink");
return lost == 0 ? 0 : 1;

static string F(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

static int FreePort()
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return ((IPEndPoint)socket.LocalEndPoint!).Port;
}

static Process StartCollector(Arguments options, string config)
{
    var start = new ProcessStartInfo(options.Cpu is null ? "dotnet" : "taskset") { RedirectStandardError = true, RedirectStandardOutput = false };
    if (options.Cpu is { } cpu)
    {
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(cpu);
        start.ArgumentList.Add("dotnet");
    }
    start.ArgumentList.Add(options.CollectorDll);
    start.ArgumentList.Add("--config");
    start.ArgumentList.Add(config);
    return Process.Start(start)!;
}
