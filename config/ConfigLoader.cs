using Collector.Config.Errors;
using Collector.Config.Expansion;
using Collector.Config.Merging;
using Collector.Config.Sections;
using Collector.Config.Yaml;
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

    /// <summary>
    /// Warnings that do not stop the load (an unset environment variable, for example), each naming the config
    /// path and source line. Cleared at the start of every <see cref="Load"/>.
    /// </summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Throws <see cref="ConfigException"/> listing every problem found.</summary>
    public ServiceDefinition Load(IReadOnlyList<ConfigSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Warnings.Clear();
        var errors = new ConfigErrors();
        ServiceDefinition? definition;
        try
        {
            definition = LoadCore(sources, errors);
        }
#pragma warning disable CA1031 // The contract is that bad input only ever yields a ConfigException.
        catch (Exception e)
#pragma warning restore CA1031
        {
            errors.Add("", $"internal error while loading the config: {e.GetType().Name}: {e.Message}", null);
            definition = null;
        }
        if (definition is null || errors.Any)
        {
            throw new ConfigException(errors.Sorted());
        }
        return definition;
    }

    private ServiceDefinition? LoadCore(IReadOnlyList<ConfigSource> sources, ConfigErrors errors)
    {
        if (sources.Count == 0)
        {
            errors.Add("", "no config sources were given", null);
            return null;
        }

        var roots = sources.Select((source, index) => YamlTreeReader.Read(source, index, errors)).ToList();
        if (roots.Any(root => root is null))
        {
            // A source that is not YAML cannot be merged meaningfully; report the syntax and stop there.
            return null;
        }

        var merged = ConfigMerger.Merge(roots!);
        var expanded = new EnvExpander(_environment, errors, Warnings).Expand(merged);
        var sections = TopLevelSections.Read(expanded, errors);

        var reader = new ComponentSectionReader(_registry, errors);
        var components = Enum.GetValues<ComponentKind>().ToDictionary(kind => kind, kind => reader.Read(kind, sections.ComponentsOf(kind)));
        var service = new ServiceSectionReader(components, errors).Read(sections.ServiceEntry);
        if (service is not null)
        {
            UsageValidator.Check(components, service, errors);
        }
        if (service is null || errors.Any)
        {
            return null;
        }

        return new ServiceDefinition
        {
            Receivers = DefinitionsOf(components[ComponentKind.Receiver]),
            Processors = DefinitionsOf(components[ComponentKind.Processor]),
            Exporters = DefinitionsOf(components[ComponentKind.Exporter]),
            Extensions = DefinitionsOf(components[ComponentKind.Extension]),
            EnabledExtensions = service.Extensions,
            Pipelines = service.Pipelines,
            Telemetry = service.Telemetry,
        };
    }

    /// <summary>Only called without errors, when every declared component has a definition.</summary>
    private static Dictionary<ComponentId, ComponentDefinition> DefinitionsOf(ComponentSection section) =>
        section.Components.ToDictionary(c => c.Id, c => c.Definition!);
}
