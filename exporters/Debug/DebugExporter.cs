using System.Text;
using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Exporters.Debug;

/// <summary>
/// Prints what passes through a pipeline: a one-line count, the top functions, or every frame. A batch's
/// text is built first and written in one piece, so pipelines sharing the exporter do not interleave lines.
/// </summary>
public sealed class DebugExporter : IExporter
{
    private readonly DebugVerbosity _verbosity;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly BatchSummarizer _summarizer = new();

    internal DebugExporter(DebugExporterOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        _verbosity = options.Verbosity;
        _output = output;
    }

    public bool MutatesData => false;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.HasNoSamples) return ValueTask.CompletedTask;
        lock (_gate)
        {
            _text.Clear();
            _summarizer.Append(_text, batch, topFunctions: _verbosity != DebugVerbosity.Basic);
            if (_verbosity == DebugVerbosity.Detailed) DetailedWriter.Append(_text, batch);
            _output.Write(_text);
            _output.Flush();
        }
        return ValueTask.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _output.Flush();
        return Task.CompletedTask;
    }
}
