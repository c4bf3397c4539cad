using Collector.Config.Errors;
using Collector.Config.Yaml;
using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config.Sections;

/// <summary>
/// Reads <c>service::pipelines</c>: each key is <c>signal[/name]</c> and each value lists receivers,
/// processors (in order) and exporters. Receivers and exporters may be shared between pipelines; a processor
/// is instantiated per pipeline, so only a repeat within one pipeline is an error.
/// </summary>
internal sealed class PipelinesReader(ReferenceListReader references, ComponentSection processorSection, ConfigErrors errors)
{
    public const string Path = "service::pipelines";

    /// <summary>
    /// Returns every pipeline read, with the references that passed their checks; a pipeline with errors is
    /// still returned so the components it names do not also show up as unused.
    /// </summary>
    public List<PipelineDefinition> Read(MappingEntry? pipelinesEntry, ConfigLocation serviceLocation)
    {
        var pipelines = new List<PipelineDefinition>();
        switch (pipelinesEntry?.Value)
        {
            case null or ScalarNode { IsNull: true }:
                break;
            case ScalarNode { AlreadyReported: true }:
                return pipelines;
            case MappingNode mapping:
                pipelines.AddRange(mapping.Entries.Select(ReadPipeline));
                break;
            case var other:
                errors.Add(Path, $"expected a mapping of pipeline ids to pipelines, got {other.Describe()}", pipelinesEntry.KeyLocation);
                return pipelines;
        }
        if (pipelines.Count == 0)
        {
            errors.Add(Path, "at least one pipeline is required", pipelinesEntry?.KeyLocation ?? serviceLocation);
        }
        return pipelines;
    }

    private PipelineDefinition ReadPipeline(MappingEntry entry)
    {
        var path = ConfigPath.Combine(Path, entry.Key);
        var id = PipelineId.Parse(entry.Key);
        CheckId(id, entry, path);

        List<ComponentId> receivers = [], processors = [], exporters = [];
        int receiversWritten = 0, exportersWritten = 0;
        switch (entry.Value)
        {
            case ScalarNode { IsNull: true }:
                break;
            case ScalarNode { AlreadyReported: true }:
                return new PipelineDefinition(id, receivers, processors, exporters);
            case MappingNode mapping:
                foreach (var list in mapping.Entries)
                {
                    var listPath = ConfigPath.Combine(path, list.Key);
                    switch (list.Key)
                    {
                        case "receivers":
                            (receivers, receiversWritten) = references.Read(ComponentKind.Receiver, list, path, listPath);
                            break;
                        case "processors":
                            var locations = new List<ConfigLocation>();
                            (processors, _) = references.Read(ComponentKind.Processor, list, path, listPath, locations);
                            CheckProcessorOrder(processors, locations, path);
                            break;
                        case "exporters":
                            (exporters, exportersWritten) = references.Read(ComponentKind.Exporter, list, path, listPath);
                            break;
                        default:
                            errors.Add(path, $"unknown key \"{list.Key}\"", list.KeyLocation);
                            break;
                    }
                }
                break;
            case var other:
                errors.Add(path, $"expected a mapping with receivers, processors and exporters, got {other.Describe()}", entry.KeyLocation);
                return new PipelineDefinition(id, receivers, processors, exporters);
        }

        if (receiversWritten == 0)
        {
            errors.Add(path, "must have at least one receiver", entry.KeyLocation);
        }
        if (exportersWritten == 0)
        {
            errors.Add(path, "must have at least one exporter", entry.KeyLocation);
        }
        return new PipelineDefinition(id, receivers, processors, exporters);
    }

    /// <summary>
    /// Refuses an order the processors' capabilities say cannot work (<see cref="ProcessorOrder"/>), on the line of the
    /// processor that is misplaced. Processors whose type is unknown were reported already and are left out.
    /// </summary>
    private void CheckProcessorOrder(List<ComponentId> processors, List<ConfigLocation> locations, string path)
    {
        var known = new List<(ComponentId Id, ProcessorCapabilities Capabilities)>();
        var knownLocations = new List<ConfigLocation>();
        for (var i = 0; i < processors.Count; i++)
        {
            if (processorSection.Find(processors[i])?.Factory is not IProcessorFactory factory) continue;
            known.Add((processors[i], factory.Capabilities));
            knownLocations.Add(locations[i]);
        }
        foreach (var problem in ProcessorOrder.Check(known))
        {
            errors.Add(path, problem.Message, knownLocations[problem.Index]);
        }
    }

    private void CheckId(PipelineId id, MappingEntry entry, string path)
    {
        if (!PipelineId.KnownSignals.Contains(id.Signal))
        {
            errors.Add(path, $"unknown signal \"{id.Signal}\" (valid: {PipelineId.ProfilesSignal})", entry.KeyLocation);
        }
        else if (!string.Equals(id.Signal, PipelineId.ProfilesSignal, StringComparison.Ordinal))
        {
            errors.Add(path, "this collector carries profiles only", entry.KeyLocation);
        }
        // A pipeline name follows the same rule as a component name; ComponentId owns that rule.
        if (entry.Key.Contains('/', StringComparison.Ordinal)
            && !ComponentId.TryParse($"{PipelineId.ProfilesSignal}/{id.Name}", out _, out _))
        {
            errors.Add(path, $"invalid pipeline id \"{entry.Key}\": the name after '/' must be non-empty and hold no spaces, control characters or symbols", entry.KeyLocation);
        }
    }
}
