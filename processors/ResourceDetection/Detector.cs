namespace Collector.Processors.ResourceDetection;

/// <summary>The detector names this build knows.</summary>
internal static class Detector
{
    /// <summary>Attributes from <c>OTEL_RESOURCE_ATTRIBUTES</c>.</summary>
    public const string Env = "env";

    /// <summary>The host: <c>host.name</c>, <c>os.type</c>, <c>host.arch</c>.</summary>
    public const string System = "system";

    public static readonly IReadOnlyList<string> Known = [Env, System];
}
