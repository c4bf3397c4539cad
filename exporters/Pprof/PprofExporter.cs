using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Protocol.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Turns profiles into pprof, the format <c>go tool pprof</c>, Pyroscope and Parca read: each report as gzipped
/// <c>profile.proto</c> files in a directory, and/or a <c>/debug/pprof/profile?seconds=N</c> endpoint that records the
/// reports of the next N seconds, like Go's <c>net/http/pprof</c>. An exporter rather than an extension because
/// it needs the data, and exporters are what pipelines hand data to.
/// </summary>
public sealed class PprofExporter : ExporterBase
{
    private readonly PprofExporterOptions _options;
    private readonly PprofDirectory? _directory;
    private readonly ProfileCaptures _captures = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _fileGate = new();
    private HttpEndpoint? _endpoint;

    public PprofExporter(ComponentCreateSettings settings, PprofExporterOptions options)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _directory = options.WritesFiles ? new PprofDirectory(options.Directory, options.Rotation) : null;
    }

    /// <summary>Where the endpoint listens, once started (a configured port 0 shows the one picked).</summary>
    public IReadOnlyList<string> Addresses => _endpoint?.Addresses ?? [];

    /// <summary>Requests recording right now.</summary>
    internal int OpenCaptures => _captures.OpenCount;

    protected override async Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        if (!_options.Serves) return;
        var handler = new PprofHttpHandler(_captures, _options.MaxSeconds, _stopping.Token);
        _endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse(_options.Endpoint), handler.ServeAsync, Settings.LoggerFactory, cancellationToken).ConfigureAwait(false);
        Logger.Listening(string.Join(", ", _endpoint.Addresses));
    }

    protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        if (_options.Serves) _captures.Offer(batch);
        if (_directory is not null) WriteFiles(batch);
        return ValueTask.CompletedTask;
    }

    protected override async Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        // Open requests answer with what they recorded; then the server stops.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_endpoint is { } endpoint) await endpoint.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void WriteFiles(ProfileBatch batch)
    {
        var profiles = PprofReport.Split(batch, _options.PerProcess);
        var encoded = profiles.Select(pair => (pair.Key.Pid, Profile: PprofEncoder.EncodeGzip(pair.Value))).ToList();
        lock (_fileGate)
        {
            var now = Settings.TimeProvider.GetUtcNow().UtcDateTime;
            foreach (var (pid, profile) in encoded) _directory!.Write(now, pid, profile);
            foreach (var (file, reason) in _directory!.Prune()) Logger.DeleteFailed(file, reason);
        }
    }
}
