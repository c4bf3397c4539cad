using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Protocol.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Flamegraph;

/// <summary>
/// A live flame graph in the browser: keeps the last <see cref="FlamegraphExporterOptions.Window"/> of samples in
/// memory and serves a page (d3-flame-graph, embedded) that draws any part of it, filters by process, container and
/// thread, searches, zooms, ranks functions and compares two time ranges. An exporter rather than an extension
/// because it needs the data, and exporters are what pipelines hand data to.
/// </summary>
public sealed partial class FlamegraphExporter : ExporterBase
{
    private readonly FlamegraphExporterOptions _options;
    private readonly StackWindow _window;
    private HttpEndpoint? _endpoint;

    public FlamegraphExporter(ComponentCreateSettings settings, FlamegraphExporterOptions options)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _window = new StackWindow(options.Window, options.MaxStacks);
    }

    /// <summary>Where the page is served, once started (a configured port 0 shows the one picked).</summary>
    public IReadOnlyList<string> Addresses => _endpoint?.Addresses ?? [];

    protected override async Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        var handler = new FlamegraphHttpHandler(_window, Settings.TimeProvider);
        _endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse(_options.Endpoint), handler.ServeAsync, Settings.LoggerFactory, cancellationToken).ConfigureAwait(false);
        Listening(Logger, string.Join(", ", _endpoint.Addresses));
    }

    protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        _window.Add(batch, Settings.TimeProvider.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    protected override async Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is { } endpoint) await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Flame graph page on {Addresses}")]
    private static partial void Listening(ILogger logger, string addresses);
}
