using System.Text;
using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;

namespace Collector.Exporters.Debug;

/// <summary>
/// Prints what passes through a pipeline: a one-line count, the top functions, or every frame. A batch's
/// text is built first and written in one piece, so pipelines sharing the exporter do not interleave lines.
/// </summary>
public sealed class DebugExporter : ExporterBase
{
    private readonly DebugVerbosity _verbosity;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly BatchSummarizer _summarizer = new();

    internal DebugExporter(ComponentCreateSettings settings, DebugExporterOptions options, TextWriter output)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        _verbosity = options.Verbosity;
        _output = output;
    }

    protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var content = batch.ResourceProfiles;
            _text.Clear();
            _summarizer.Append(_text, batch.SampleCount, content, topFunctions: _verbosity != DebugVerbosity.Basic);
            if (_verbosity == DebugVerbosity.Detailed) DetailedWriter.Append(_text, content);
            _output.Write(_text);
            _output.Flush();
        }
        return ValueTask.CompletedTask;
    }

    protected override Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _output.Flush();
        return Task.CompletedTask;
    }
}
