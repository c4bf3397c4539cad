using Collector.Core.Components;

namespace Collector.Config.Tests.Fakes;

/// <summary>Options of the fake <c>file</c> exporter, shaped like the contrib file exporter's.</summary>
public sealed class FileExporterOptions : IComponentOptions
{
    public string Path { get; set; } = "";

    public FileFormat Format { get; set; } = FileFormat.Json;

    public bool Append { get; set; }

    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Null unless <c>rotation:</c> is present: the key alone switches rotation on.</summary>
    public RotationOptions? Rotation { get; set; }

    public IEnumerable<OptionsError> Validate()
    {
        if (Path.Length == 0)
        {
            yield return OptionsError.Required("path");
        }
        if (Rotation is { MaxMegabytes: < 1 or > 10_000 })
        {
            yield return new("rotation::max_megabytes", "must be between 1 and 10000");
        }
        if (Append && Rotation is not null)
        {
            yield return new("append", "cannot be combined with rotation");
        }
    }
}

public enum FileFormat
{
    Json,
    Proto,
}

public sealed class RotationOptions
{
    public int MaxMegabytes { get; set; } = 100;

    public int? MaxDays { get; set; }

    public int MaxBackups { get; set; } = 100;

    public bool Localtime { get; set; }
}

/// <summary>Options of the fake <c>debug</c> exporter.</summary>
public sealed class DebugExporterOptions : IComponentOptions
{
    public DebugVerbosity Verbosity { get; set; } = DebugVerbosity.Basic;

    public int SamplingInitial { get; set; } = 2;

    public IEnumerable<OptionsError> Validate() => [];
}

public enum DebugVerbosity
{
    Basic,
    Normal,
    Detailed,
}

/// <summary>Options of the fake <c>relabel</c> processor: a list of nested rules.</summary>
public sealed class RelabelProcessorOptions : IComponentOptions
{
    public List<RelabelRule> Rules { get; set; } = [];

    public IEnumerable<OptionsError> Validate()
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].Action == RelabelAction.Replace && Rules[i].Target is null)
            {
                yield return new($"rules::{i}::target", "is required when action is replace");
            }
        }
    }
}

public sealed class RelabelRule
{
    public string Source { get; set; } = "";

    public string? Target { get; set; }

    public RelabelAction Action { get; set; } = RelabelAction.Keep;
}

public enum RelabelAction
{
    Keep,
    Drop,
    Replace,
}

/// <summary>Options of the fake <c>health_check</c> extension.</summary>
public sealed class HealthCheckOptions : IComponentOptions
{
    public string Endpoint { get; set; } = "localhost:13133";

    public string Path { get; set; } = "/";

    public IEnumerable<OptionsError> Validate() => [];
}
