using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config;

/// <summary>
/// Turns YAML sources into a validated <see cref="ServiceDefinition"/>: parse each source, merge them in order,
/// expand environment references, bind every component's options through its factory, validate.
/// </summary>
public sealed class ConfigLoader(ComponentRegistry registry, Func<string, string?>? environment = null)
{
    private readonly ComponentRegistry _registry = registry;
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>Warnings that do not stop the load (an unset environment variable, for example).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Throws <see cref="ConfigException"/> listing every problem found.</summary>
    public ServiceDefinition Load(IReadOnlyList<ConfigSource> sources) => throw new NotImplementedException("config work in progress");
}
