using System.Text.RegularExpressions;
using Collector.Exporters.File;
using Collector.Exporters.Tests.File;

namespace Collector.Exporters.Tests.Interop;

/// <summary>protoc, decoding with our .proto files, reads a record of the file exporter's proto output.</summary>
public class ProtocDecodeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Protoc_decodes_a_proto_record_with_the_expected_content()
    {
        ExternalTools.Require(ExternalTools.OnPath("protoc"), "protoc is not installed (Debian package protobuf-compiler)");
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.pb");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Format = FileFormat.Proto });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Known(), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);
        // The second record, without its 4-byte length prefix.
        var record = Records.SplitProto(await System.IO.File.ReadAllBytesAsync(path))[1];

        var (exitCode, text, error) = ExternalTools.Run("protoc",
        [
            "--decode=opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest",
            "-I", ExternalTools.ProtoRoot,
            Path.Combine(ExternalTools.ProtoRoot, "opentelemetry/proto/collector/profiles/v1development/profiles_service.proto"),
        ], record);
        output.WriteLine(text);

        Assert.True(exitCode == 0, $"protoc failed: {error}");
        Assert.Equal(6, Regex.Matches(text, @"^\s*samples \{$", RegexOptions.Multiline).Count);
        Assert.Equal(3, Regex.Matches(text, @"^resource_profiles \{$", RegexOptions.Multiline).Count);
        foreach (var name in new[] { "main", "compute", "helper", "/usr/bin/app", "profile.frame.type" })
        {
            Assert.Contains($"string_table: \"{name}\"", text, StringComparison.Ordinal);
        }
        Assert.Contains("key: \"process.pid\"", text, StringComparison.Ordinal);
        Assert.Contains("period: 10000000", text, StringComparison.Ordinal);
        Assert.Contains("address: 18446744071578845184", text, StringComparison.Ordinal); // 0xffffffff81000000
    }
}
