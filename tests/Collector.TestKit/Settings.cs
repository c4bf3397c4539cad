using Collector.Core.Components;
using Collector.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.TestKit;

/// <summary>Settings a factory gets, built the one way every test builds them.</summary>
public static class Settings
{
    /// <summary>
    /// Settings for a component of <paramref name="type"/>; no logs, the system clock, and telemetry that records
    /// nowhere unless a test passes a <see cref="CollectorTelemetry"/> to read back.
    /// </summary>
    public static ComponentCreateSettings For(string type, ComponentKind kind, TimeProvider? time = null, ILoggerFactory? logs = null,
        CollectorTelemetry? telemetry = null)
    {
        var componentId = ComponentId.Of(type);
        return new ComponentCreateSettings
        {
            Id = componentId,
            Kind = kind,
            LoggerFactory = logs ?? NullLoggerFactory.Instance,
            TimeProvider = time ?? TimeProvider.System,
            Telemetry = telemetry?.ForComponent(componentId, kind) ?? ComponentTelemetry.Unobserved(componentId, kind),
        };
    }
}
