using Collector.Core.Components;

namespace Collector.Exporters.File;

/// <summary>Options of the <c>file</c> exporter. Defaults follow the contrib Collector's file exporter where it has one.</summary>
public sealed class FileExporterOptions : IComponentOptions
{
    public const string Gzip = "gzip";

    /// <summary>The file to write; required.</summary>
    public string Path { get; set; } = "";

    public FileFormat Format { get; set; } = FileFormat.Json;

    /// <summary>False truncates the file when the exporter first opens it; true keeps what is there and appends.</summary>
    public bool Append { get; set; }

    /// <summary>Null (the key absent) means never rotate.</summary>
    public RotationOptions? Rotation { get; set; }

    /// <summary>Empty for none, or <c>gzip</c>: the file becomes a sequence of complete gzip members, one per flush.</summary>
    public string Compression { get; set; } = "";

    /// <summary>How long written records may wait in memory before they are handed to the operating system.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Create missing parent directories of <see cref="Path"/>.</summary>
    public bool CreateDirectory { get; set; } = true;

    internal bool IsGzip => Compression == Gzip;

    public IEnumerable<OptionsError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return OptionsError.Required("path");
        }
        if (!Enum.IsDefined(Format))
        {
            yield return new OptionsError("format", $"\"{Format}\" is not a format: use json, proto or folded");
        }
        if (Compression.Length > 0 && Compression != Gzip)
        {
            yield return new OptionsError("compression", $"\"{Compression}\" is not supported: only gzip is (leave it empty for none)");
        }
        if (FlushInterval <= TimeSpan.Zero)
        {
            yield return new OptionsError("flush_interval", "must be greater than zero");
        }
        if (Rotation is { } rotation)
        {
            if (rotation.MaxMegabytes <= 0)
            {
                yield return new OptionsError("rotation::max_megabytes", "must be greater than zero");
            }
            if (rotation.MaxBackups < 0)
            {
                yield return new OptionsError("rotation::max_backups", "must not be negative (0 keeps every backup)");
            }
        }
    }
}
