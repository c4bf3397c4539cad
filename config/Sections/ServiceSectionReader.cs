using Collector.Config.Errors;
using Collector.Config.Yaml;
using Collector.Core.Components;

namespace Collector.Config.Sections;

/// <summary>Reads the <c>service</c> section: <c>extensions</c>, <c>pipelines</c> and <c>telemetry</c>, nothing else.</summary>
internal sealed class ServiceSectionReader(IReadOnlyDictionary<ComponentKind, ComponentSection> components, ConfigErrors errors)
{
    private const string ExtensionsPath = "service::extensions";

    private readonly ReferenceListReader _references = new(components, errors);

    /// <summary>Null when the section is missing or is not a mapping (reported).</summary>
    public ServiceSection? Read(MappingEntry? serviceEntry)
    {
        if (serviceEntry is null)
        {
            errors.Add(TopLevelSections.Service, "the section is missing; it must define at least one pipeline", null);
            return null;
        }

        MappingEntry? extensions = null, pipelines = null, telemetry = null;
        switch (serviceEntry.Value)
        {
            case ScalarNode { IsNull: true }:
                break;
            case ScalarNode { AlreadyReported: true }:
                return null;
            case MappingNode mapping:
                foreach (var entry in mapping.Entries)
                {
                    switch (entry.Key)
                    {
                        case "extensions":
                            extensions = entry;
                            break;
                        case "pipelines":
                            pipelines = entry;
                            break;
                        case "telemetry":
                            telemetry = entry;
                            break;
                        default:
                            errors.Add(TopLevelSections.Service, $"unknown key \"{entry.Key}\"", entry.KeyLocation);
                            break;
                    }
                }
                break;
            case var other:
                errors.Add(TopLevelSections.Service, $"expected a mapping, got {other.Describe()}", serviceEntry.KeyLocation);
                return null;
        }

        var enabled = extensions is null
            ? []
            : _references.Read(ComponentKind.Extension, extensions, ExtensionsPath, ExtensionsPath).Ids;
        return new ServiceSection(
            enabled,
            new PipelinesReader(_references, components[ComponentKind.Processor], errors).Read(pipelines, serviceEntry.KeyLocation),
            new TelemetryReader(errors).Read(telemetry));
    }
}
