using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.File;

namespace Collector.Exporters.Tests.File;

/// <summary>Builds file exporters on a manual clock with captured logs, in a temp directory of their own.</summary>
internal sealed class FileExporterFixture : IDisposable
{
    public TempDirectory Directory { get; } = new();

    public ManualTimeProvider Time { get; init; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    public TestHost Host { get; } = new();

    public string PathOf(string name) => Directory.File(name);

    public FileExporter Create(FileExporterOptions options, FailureSwitch? failures = null, int bufferLimit = FileExporter.DefaultBufferLimit)
    {
        var settings = Settings.For("file", ComponentKind.Exporter, Time, Logs);
        return failures is null
            ? new FileExporter(settings, options) { BufferLimit = bufferLimit }
            : new FileExporter(settings, options, failures.Open) { BufferLimit = bufferLimit };
    }

    public static async Task ConsumeAllAsync(FileExporter exporter, IEnumerable<ProfileBatch> batches)
    {
        foreach (var batch in batches) await exporter.ConsumeAsync(batch, CancellationToken.None);
    }

    public void Dispose() => Directory.Dispose();
}
