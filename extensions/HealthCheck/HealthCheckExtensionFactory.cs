using Collector.Core.Components;

namespace Collector.Extensions.HealthCheck;

public sealed class HealthCheckExtensionFactory : ExtensionFactory<HealthCheckOptions>
{
    public override string Type => "health_check";

    public override string Description => "Answers HTTP health checks: 200 while every pipeline runs, 503 after a fatal error or while an exporter keeps failing.";

    protected override IExtension Create(ComponentCreateSettings settings, HealthCheckOptions options) => new HealthCheckExtension(settings, options);
}
