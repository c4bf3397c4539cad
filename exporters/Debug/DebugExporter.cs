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
            var content = WithRawConverted(batch);
            _text.Clear();
            _summarizer.Append(_text, batch.SampleCount, content, topFunctions: _verbosity != DebugVerbosity.Basic);
            if (_verbosity == DebugVerbosity.Detailed) DetailedWriter.Append(_text, content);
            _output.Write(_text);
            _output.Flush();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The batch's content with its raw samples turned into (unsymbolized) resources, so they are summarised
    /// like the rest. A new list: the batch itself is shared with other exporters and stays untouched.
    /// </summary>
    private static List<ResourceProfiles> WithRawConverted(ProfileBatch batch)
    {
        if (batch.Raw is not { Samples.Count: > 0 } raw) return batch.ResourceProfiles;
        return [.. batch.ResourceProfiles, .. RawSampleConversion.ToResourceProfiles(raw)];
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _output.Flush();
        return Task.CompletedTask;
    }
}
