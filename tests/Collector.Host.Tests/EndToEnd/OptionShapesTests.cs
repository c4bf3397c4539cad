using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// The config binder fills options by reflection. In the Native AOT binary that test.sh runs here (see
/// <see cref="RepoPaths.CollectorBinary"/>) reflection only sees what the build kept, so every shape an option
/// can have — scalar, enum, duration, int and string sequences, string map, nested and nullable objects, a
/// sequence of objects — is bound by the real binary, good values and bad ones.
/// </summary>
public class OptionShapesTests
{
    private const string EveryShape = """
        receivers:
          ebpf_profiling:
            samples_per_second: 49
            kernel_stacks: false
            report_interval: 2s
            pids: [1, 2, 3]
            process_names: ["^nginx$", "java"]
          otlp_json_file:
            include: [a.jsonl, "b/*.jsonl.gz"]
        processors:
          symbolization:
            debug_directories: [/usr/lib/debug, /opt/debug]
        exporters:
          otlp_grpc:
            endpoint: localhost:4317
            headers: {x-tenant: team-a, authorization: "Bearer t"}
            tls: {insecure: true}
            retry_on_failure: {enabled: true}
          prometheus:
            endpoint: localhost:0
            labels: [process, function]
          file:
            path: out.jsonl
            rotation:
          debug:
            verbosity: detailed
        service:
          pipelines:
            profiles:
              receivers: [ebpf_profiling, otlp_json_file]
              processors: [symbolization]
              exporters: [otlp_grpc, prometheus, file, debug]
          telemetry:
            logs: {level: warn}
            metrics:
              level: detailed
              readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: 18888}}}}]
        """;

    [Fact]
    public async Task The_binary_binds_every_option_shape()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("every-shape.yaml", EveryShape);

        var (code, stdout, stderr) = await Validate(path);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("configuration is valid: 1 pipeline(s), 2 receiver(s), 1 processor(s), 4 exporter(s)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_binary_reports_a_bad_item_in_each_shape_by_its_path()
    {
        using var dir = new TempDirectory();
        var bad = EveryShape
            .Replace("pids: [1, 2, 3]", "pids: [1, two]", StringComparison.Ordinal)
            .Replace("headers: {x-tenant: team-a, authorization: \"Bearer t\"}", "headers: {x-tenant: [a]}", StringComparison.Ordinal)
            .Replace("port: 18888}", "port: eighty}", StringComparison.Ordinal)
            .Replace("verbosity: detailed", "verbosity: loud", StringComparison.Ordinal);
        var path = dir.Write("bad.yaml", bad);

        var (code, stdout, stderr) = await Validate(path);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.StartsWith("receivers::ebpf_profiling::pids::1: ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("exporters::otlp_grpc::headers::x-tenant: ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("exporters::debug::verbosity: ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("service::telemetry::metrics::readers::0::pull::exporter::prometheus::port: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Validate(string path)
    {
        using var collector = CollectorProcess.Start(["validate", "--config", path]);
        var code = await collector.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, collector.Stdout, collector.Stderr);
    }
}
