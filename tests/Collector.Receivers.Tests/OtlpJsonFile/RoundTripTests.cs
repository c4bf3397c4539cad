using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.File;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.OtlpJsonFile;

/// <summary>What the file exporter writes, the otlp_json_file receiver reads back as the same batches.</summary>
public class RoundTripTests
{
    [Theory]
    [InlineData("profiles.jsonl", "")]
    [InlineData("profiles.jsonl.gz", "gzip")]
    public async Task File_exporter_output_replays_into_the_same_batches(string name, string compression)
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf(name);
        ProfileBatch[] batches = [TestBatches.Known(), TestBatches.Simple(12, pid: 7, leaves: 5), TestBatches.Simple(1)];
        var exporter = new FileExporter(Settings.For("file", ComponentKind.Exporter), new FileExporterOptions { Path = path, Compression = compression });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        foreach (var batch in batches) await exporter.ConsumeAsync(batch, CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        var consumer = new CapturingConsumer();
        await fixture.ReplayAsync(fixture.Create(consumer, path));

        Assert.Equal(batches.Select(b => b.SampleCount), consumer.Batches.Select(b => b.SampleCount));
        for (var i = 0; i < batches.Length; i++)
        {
            Assert.Equal(TestBatches.Stacks(batches[i]), TestBatches.Stacks(consumer.Batches[i]));
            Assert.Equal(Weights(batches[i]), Weights(consumer.Batches[i]));
            Assert.Equal(Stacks(batches[i]), Stacks(consumer.Batches[i]));
        }
    }

    private static IEnumerable<long> Weights(ProfileBatch batch) =>
        batch.ResourceProfiles.SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).SelectMany(p => p.Samples).Select(s => s.Weight);

    /// <summary>The model's stacks compare by value: locations, mappings, lines, functions, attributes.</summary>
    private static IEnumerable<Stack> Stacks(ProfileBatch batch) =>
        batch.ResourceProfiles.SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).SelectMany(p => p.Samples).Select(s => s.Stack);
}
