using System.Net;
using System.Net.Sockets;
using Collector.Host.Tests.Support;
using Collector.Otlp;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// Two real collector processes: A replays a recording and forwards it with otlp_grpc and otlp_http; B receives
/// with the otlp receiver and writes a file. What A read is what B wrote, every export self-contained; and a
/// persistent queue that A was killed with (kill -9) is delivered after A restarts.
/// </summary>
public class OtlpGatewayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Collector_b_writes_every_sample_collector_a_forwarded_over_grpc_and_http()
    {
        using var dir = new TempDirectory();
        var input = Recordings.WriteJsonLines(dir.File("in.jsonl"), lines: 30, samplesPerLine: 60);
        var sent = Recordings.Timestamps(Recordings.ReadJsonLines(input));
        var output = dir.File("b.jsonl");
        int grpcPort = FreePort(), httpPort = FreePort();
        using var b = CollectorProcess.Start(["--config", dir.Write("b.yaml", ReceiverConfig(grpcPort, httpPort, output))]);
        await b.WaitUntilAsync(() => b.Stderr.Contains("Everything is ready", StringComparison.Ordinal), Patience, "collector B to listen");

        using var a = CollectorProcess.Start(["--config", dir.Write("a.yaml", $$"""
            receivers:
              otlp_json_file:
                include: ["{{input}}"]
            exporters:
              otlp_grpc:
                endpoint: "127.0.0.1:{{grpcPort}}"
                tls: {insecure: true}
              otlp_http:
                endpoint: "http://127.0.0.1:{{httpPort}}"
                encoding: json
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [otlp_grpc, otlp_http]
            """)]);

        // Each sample arrives twice, once per protocol.
        await b.WaitUntilAsync(() => ReceivedTimestamps(output).Count >= 2 * sent.Count, Patience, $"{2 * sent.Count} samples at B");
        a.Signal("TERM");
        Assert.Equal(0, await a.WaitForExitAsync(Patience));
        b.Signal("TERM");
        Assert.Equal(0, await b.WaitForExitAsync(Patience));

        var exports = Recordings.ReadJsonLines(output);
        Assert.All(exports, e => Assert.Empty(ExportValidator.Validate(e)));
        Assert.Equal(sent.Concat(sent).Order(), Recordings.Timestamps(exports).Order());
    }

    [Fact]
    public async Task A_persistent_queue_survives_kill_9_and_is_delivered_after_a_restart()
    {
        using var dir = new TempDirectory();
        const int lines = 25;
        var input = Recordings.WriteJsonLines(dir.File("in.jsonl"), lines, samplesPerLine: 40);
        var sent = Recordings.Timestamps(Recordings.ReadJsonLines(input));
        var storage = Directory.CreateDirectory(dir.File("storage")).FullName;
        var queue = Path.Combine(storage, "exporter_otlp_grpc");
        var port = FreePort();

        // B is down: A queues every export on disk and retries.
        using (var a = CollectorProcess.Start(["--config", dir.Write("a.yaml", SenderConfig(input, port, storage))]))
        {
            await a.WaitUntilAsync(() => RecordCount(queue) == lines, Patience, $"{lines} requests queued on disk");
            a.Signal("KILL");
            await a.WaitForExitAsync(Patience);
        }
        Assert.Equal(lines, RecordCount(queue));

        var output = dir.File("b.jsonl");
        using var b = CollectorProcess.Start(["--config", dir.Write("b.yaml", ReceiverConfig(port, FreePort(), output))]);
        // The restarted A reads nothing new: whatever B gets comes from the queue on disk.
        var empty = dir.Write("empty.jsonl", "");
        using var restarted = CollectorProcess.Start(["--config", dir.Write("a2.yaml", SenderConfig(empty, port, storage))]);
        await restarted.WaitUntilAsync(() => ReceivedTimestamps(output).Count >= sent.Count && RecordCount(queue) == 0, Patience, "the queue delivered to B");
        restarted.Signal("TERM");
        Assert.Equal(0, await restarted.WaitForExitAsync(Patience));
        b.Signal("TERM");
        Assert.Equal(0, await b.WaitForExitAsync(Patience));

        Assert.Contains($"{lines} requests", restarted.Stderr, StringComparison.Ordinal);
        Assert.Equal(sent.Order(), Recordings.Timestamps(Recordings.ReadJsonLines(output)).Order());
    }

    private static string SenderConfig(string input, int port, string storage) => $$"""
        receivers:
          otlp_json_file:
            include: ["{{input}}"]
        exporters:
          otlp_grpc:
            endpoint: "127.0.0.1:{{port}}"
            tls: {insecure: true}
            retry_on_failure: {initial_interval: 100ms, max_interval: 500ms, max_elapsed_time: 0}
            sending_queue: {storage: file_storage}
        extensions:
          file_storage:
            directory: "{{storage}}"
        service:
          extensions: [file_storage]
          pipelines:
            profiles:
              receivers: [otlp_json_file]
              exporters: [otlp_grpc]
        """;

    private static string ReceiverConfig(int grpcPort, int httpPort, string output) => $$"""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:{{grpcPort}}"}
              http: {endpoint: "127.0.0.1:{{httpPort}}"}
        exporters:
          file:
            path: "{{output}}"
            flush_interval: 50ms
        service:
          pipelines:
            profiles:
              receivers: [otlp]
              exporters: [file]
        """;

    private static int RecordCount(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "*.req").Length : 0;

    /// <summary>Timestamps in the complete lines written so far (the last line may still be in flight).</summary>
    private static List<ulong> ReceivedTimestamps(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        var exports = complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => OtlpJson.Parse(System.Text.Encoding.UTF8.GetBytes(l)));
        return Recordings.Timestamps(exports);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
