using Collector.Core.Model;
using Collector.Otlp;

namespace Collector.Host.Tests.Support;

/// <summary>
/// The collector binary running the sidecar pipeline the symbolization acceptance tests check:
/// ebpf_profiling → pid_lifecycle → symbolization → file (JSON), with self-telemetry on a free port.
/// </summary>
public sealed class SymbolizingRun : IDisposable
{
    private readonly CollectorProcess _collector;
    private readonly string _output;
    private readonly ITestOutputHelper _log;

    private SymbolizingRun(CollectorProcess collector, string output, int telemetryPort, ITestOutputHelper log)
    {
        _collector = collector;
        _output = output;
        TelemetryPort = telemetryPort;
        _log = log;
    }

    public int TelemetryPort { get; }

    public string Stderr => _collector.Stderr;

    /// <summary>Starts the pipeline and waits until the receiver is sampling.</summary>
    /// <param name="receiverOptions">Extra YAML lines under <c>ebpf_profiling</c>, each indented by four spaces.</param>
    public static async Task<SymbolizingRun> StartAsync(TempDirectory directory, string receiverOptions, ITestOutputHelper log)
    {
        var output = directory.File("profiles.jsonl");
        var port = FreePort.Next();
        var config = directory.Write("collector.yaml", $"""
            receivers:
              ebpf_profiling:
                samples_per_second: 99
                report_interval: 1s
            {receiverOptions}
            processors:
              pid_lifecycle: {"{}"}
              symbolization: {"{}"}
            exporters:
              file:
                path: {output}
                format: json
            service:
            {TelemetryConfig.Telemetry(port)}
              pipelines:
                profiles:
                  receivers: [ebpf_profiling]
                  processors: [pid_lifecycle, symbolization]
                  exporters: [file]
            """);
        var collector = CollectorProcess.Start(["--config", config], workingDirectory: directory.Path);
        try
        {
            await collector.WaitUntilAsync(() => collector.Stderr.Contains("Everything is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the pipeline to start");
        }
        catch
        {
            collector.Dispose();
            throw;
        }
        return new SymbolizingRun(collector, output, port, log);
    }

    /// <summary>Stops the collector with SIGTERM and returns every export it wrote, as model batches.</summary>
    public async Task<List<ProfileBatch>> StopAsync()
    {
        _collector.Signal("TERM");
        var exitCode = await _collector.WaitForExitAsync(TimeSpan.FromSeconds(60));
        _log.WriteLine(_collector.Stderr.Length > 4000 ? _collector.Stderr[^4000..] : _collector.Stderr);
        Assert.Equal(0, exitCode);
        var exports = Recordings.ReadJsonLines(_output);
        Assert.All(exports, export => Assert.Empty(ExportValidator.Validate(export)));
        return exports.ConvertAll(OtlpToModel.ToBatch);
    }

    public void Dispose() => _collector.Dispose();
}

/// <summary>One exported sample with what its resource says, flattened for assertions.</summary>
public sealed record ExportedSample(Resource Resource, Sample Sample)
{
    public long? Pid => Resource.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.ProcessPid)?.Value?.IntValue;

    public string ThreadName => Sample.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.ThreadName)?.Value?.StringValue ?? "";

    public long Weight => Sample.Weight;

    public IEnumerable<Location> Frames => Sample.Stack.Locations;

    public static string? FunctionName(Location location) => location.Lines.Length > 0 ? location.Lines[0].Function?.Name : null;

    public static string? FrameType(Location location) =>
        location.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.FrameType)?.Value?.StringValue;

    public static string? BuildId(Mapping? mapping) =>
        mapping?.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.BuildIdGnu)?.Value?.StringValue;

    public static IEnumerable<ExportedSample> All(IEnumerable<ProfileBatch> batches) =>
        from batch in batches
        from resource in batch.ResourceProfiles
        from scope in resource.ScopeProfiles
        from profile in scope.Profiles
        from sample in profile.Samples
        select new ExportedSample(resource.Resource ?? new Resource(), sample);
}
