using Collector.Core.Components;
using Collector.Exporters.File;

namespace Collector.Exporters.Tests.File;

public class FileExporterOptionsTests
{
    [Fact]
    public void Defaults_follow_the_contrib_file_exporter()
    {
        var options = (FileExporterOptions)new FileExporterFactory().CreateDefaultOptions();

        Assert.Equal(FileFormat.Json, options.Format);
        Assert.False(options.Append);
        Assert.Null(options.Rotation);
        Assert.Equal("", options.Compression);
        Assert.Equal(TimeSpan.FromSeconds(1), options.FlushInterval);
        Assert.True(options.CreateDirectory);
        var rotation = new RotationOptions();
        Assert.Equal(100, rotation.MaxMegabytes);
        Assert.Equal(100, rotation.MaxBackups);
        Assert.False(rotation.Localtime);
    }

    [Fact]
    public void A_missing_path_is_reported_as_required()
    {
        var errors = new FileExporterOptions().Validate().ToList();

        Assert.Equal([OptionsError.Required("path")], errors);
        Assert.Equal("path is required", errors[0].Message);
        Assert.Null(errors[0].Key);
    }

    [Fact]
    public void Zstd_is_rejected_saying_only_gzip_is_supported()
    {
        var errors = new FileExporterOptions { Path = "p.jsonl", Compression = "zstd" }.Validate().ToList();

        var error = Assert.Single(errors);
        Assert.Equal("compression", error.Key);
        Assert.Contains("only gzip", error.Message, StringComparison.Ordinal);
        Assert.Contains("zstd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_numbers_name_their_keys()
    {
        var options = new FileExporterOptions
        {
            Path = "p.jsonl",
            FlushInterval = TimeSpan.Zero,
            Rotation = new RotationOptions { MaxMegabytes = 0, MaxBackups = -1 },
        };

        var keys = options.Validate().Select(e => e.Key).ToList();

        Assert.Equal(["flush_interval", "rotation::max_megabytes", "rotation::max_backups"], keys);
    }

    [Fact]
    public void Valid_options_have_no_errors()
    {
        var options = new FileExporterOptions { Path = "out/p.pb", Format = FileFormat.Proto, Compression = "gzip", Rotation = new RotationOptions() };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void The_factory_creates_a_file_exporter()
    {
        var factory = new FileExporterFactory();
        using var directory = new TempDirectory();

        var exporter = factory.CreateExporter(Settings.For("file", ComponentKind.Exporter), new FileExporterOptions { Path = directory.File("p.jsonl") });

        Assert.Equal("file", factory.Type);
        Assert.Equal(ComponentKind.Exporter, factory.Kind);
        Assert.False(string.IsNullOrWhiteSpace(factory.Description));
        Assert.IsType<FileExporter>(exporter);
    }
}
