namespace Collector.Exporters.File;

/// <summary>Rotation settings of the file exporter; the exporter rotates only when the <c>rotation:</c> key is present.</summary>
public sealed class RotationOptions
{
    /// <summary>A file is rotated before a record would take it beyond this size.</summary>
    public int MaxMegabytes { get; set; } = 100;

    /// <summary>How many rotated files to keep beside the active one; 0 keeps them all.</summary>
    public int MaxBackups { get; set; } = 100;

    /// <summary>Name backups with local time instead of UTC.</summary>
    public bool Localtime { get; set; }
}
