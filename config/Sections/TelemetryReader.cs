using Collector.Config.Binding;
using Collector.Config.Errors;
using Collector.Config.Yaml;
using Collector.Core.Pipeline;

namespace Collector.Config.Sections;

/// <summary>Reads <c>service::telemetry</c> into <see cref="TelemetrySettings"/>.</summary>
internal sealed class TelemetryReader(ConfigErrors errors)
{
    public const string Path = "service::telemetry";

    private readonly OptionsBinder _binder = new(errors);

    /// <summary>The settings, or the defaults when the section is absent or has errors (which are reported).</summary>
    public TelemetrySettings Read(MappingEntry? entry)
    {
        var options = new TelemetryOptions();
        switch (entry?.Value)
        {
            case null or ScalarNode { IsNull: true }:
                break;
            case ScalarNode { AlreadyReported: true }:
                return new TelemetrySettings();
            case MappingNode mapping:
                if (!_binder.BindObject(options, mapping, Path))
                {
                    return new TelemetrySettings();
                }
                break;
            case var other:
                errors.Add(Path, $"expected a mapping, got {other.Describe()}", entry.KeyLocation);
                return new TelemetrySettings();
        }

        var valid = true;
        foreach (var problem in options.Validate())
        {
            errors.Add(ConfigPath.Combine(Path, problem.Key!), problem.Message, OptionsErrorLocator.Find(entry!, problem.Key));
            valid = false;
        }
        if (!valid)
        {
            return new TelemetrySettings();
        }

        var defaults = new TelemetrySettings();
        return new TelemetrySettings
        {
            LogLevel = SnakeCase.From(options.Logs.Level.ToString()),
            MetricsLevel = SnakeCase.From(options.Metrics.Level.ToString()),
            MetricsHost = options.Prometheus?.Host ?? defaults.MetricsHost,
            MetricsPort = options.Prometheus?.Port ?? defaults.MetricsPort,
        };
    }
}
