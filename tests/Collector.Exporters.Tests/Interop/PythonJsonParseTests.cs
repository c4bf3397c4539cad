using System.Collections.Immutable;
using Collector.Core.Model;
using Collector.Exporters.File;
using Collector.Exporters.Tests.File;
using Collector.Otlp;

namespace Collector.Exporters.Tests.Interop;

/// <summary>Python's protobuf library, with classes generated from our .proto files, parses the file exporter's JSON lines.</summary>
public class PythonJsonParseTests(ITestOutputHelper output)
{
    private static readonly ImmutableArray<byte> ProfileId = [.. Convert.FromHexString("00112233445566778899aabbccddeeff")];
    private static readonly ImmutableArray<byte> TraceId = [.. Convert.FromHexString("4bf92f3577b34da6a3ce929d0e0e4736")];
    private static readonly ImmutableArray<byte> SpanId = [.. Convert.FromHexString("00f067aa0ba902b7")];

    [Fact]
    public async Task Python_protobuf_parses_every_json_line_with_the_exported_counts()
    {
        ExternalTools.Require(ExternalTools.OnPath("protoc"), "protoc is not installed (Debian package protobuf-compiler)");
        ExternalTools.Require(ExternalTools.PythonCanImport("google.protobuf"), $"{ExternalTools.SystemPython} cannot import google.protobuf (Debian package python3-protobuf)");
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        ProfileBatch[] batches = [TestBatches.Known(), WithIds(TestBatches.Simple(3, pid: 9)), TestBatches.Simple(1)];
        var exporter = fixture.Create(new FileExporterOptions { Path = path });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        foreach (var batch in batches) await exporter.ConsumeAsync(batch, CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        var (exitCode, text, error) = ExternalTools.Run(ExternalTools.SystemPython,
            [Path.Combine(ExternalTools.RepositoryRoot, "tests/interop/otlp_json_check.py"), ExternalTools.ProtoRoot, path], stdin: null);
        output.WriteLine(text);

        Assert.True(exitCode == 0, $"the Python check failed: {error}");
        var requests = batches.Select(ModelToOtlp.ToRequest).ToList();
        var expected =
            $"records={requests.Count} samples={requests.Sum(Records.SampleCount)} " +
            $"strings={requests.Sum(r => r.Dictionary.StringTable.Count)} functions={requests.Sum(r => r.Dictionary.FunctionTable.Count)} " +
            $"profile_ids={Convert.ToHexStringLower(ProfileId.AsSpan())} trace_ids={Convert.ToHexStringLower(TraceId.AsSpan())}";
        Assert.Equal(expected, text.Trim());
    }

    /// <summary>The hex-encoded fields: a profile id, and a trace link on every sample.</summary>
    private static ProfileBatch WithIds(ProfileBatch batch)
    {
        var profile = batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0];
        profile.ProfileId = ProfileId;
        foreach (var sample in profile.Samples) sample.Link = new Link(TraceId, SpanId);
        return batch;
    }
}
