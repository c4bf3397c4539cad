using Collector.Core.Components;
using Collector.Protocol.Http;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Options of the <c>pprof</c> exporter: gzipped <c>profile.proto</c> files in a directory, a
/// <c>/debug/pprof/profile</c> endpoint for <c>go tool pprof</c>, or both. At least one of them must be set.
/// </summary>
public sealed class PprofExporterOptions : IComponentOptions
{
    /// <summary>Where each report is written as <c>profile-…pb.gz</c>; empty writes no files.</summary>
    public string Directory { get; set; } = "";

    /// <summary>One file per process and report instead of one per report (with <c>process.pid</c> labels).</summary>
    public bool PerProcess { get; set; }

    /// <summary>How many files, and how many bytes, the directory keeps: the oldest go first.</summary>
    public PprofRotationOptions Rotation { get; set; } = new();

    /// <summary>host:port of the <c>/debug/pprof/</c> endpoint; empty serves none. <c>localhost:6060</c> is Go's habit.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The longest <c>?seconds=</c> a request may ask for.</summary>
    public int MaxSeconds { get; set; } = 300;

    internal bool WritesFiles => Directory.Length > 0;

    internal bool Serves => Endpoint.Length > 0;

    public IEnumerable<OptionsError> Validate()
    {
        if (!WritesFiles && !Serves)
        {
            yield return new OptionsError("directory", "set directory (files), endpoint (go tool pprof over HTTP), or both");
        }
        if (Serves && !ListenAddress.TryParse(Endpoint, out _, out var error))
        {
            yield return new OptionsError("endpoint", error);
        }
        if (Rotation.MaxFiles < 0)
        {
            yield return new OptionsError("rotation::max_files", "must not be negative (0 keeps every file)");
        }
        if (Rotation.MaxMegabytes < 0)
        {
            yield return new OptionsError("rotation::max_megabytes", "must not be negative (0 sets no size limit)");
        }
        if (MaxSeconds < 1)
        {
            yield return new OptionsError("max_seconds", "must be at least 1");
        }
    }
}

/// <summary>What the pprof exporter's directory keeps; 0 means no limit of that kind.</summary>
public sealed class PprofRotationOptions
{
    public int MaxFiles { get; set; } = 1000;

    public int MaxMegabytes { get; set; } = 100;
}
