using Collector.Config.Errors;
using Collector.Core.Components;

namespace Collector.Config.Sections;

/// <summary>
/// Reports declared components that nothing uses: a receiver, processor or exporter in no pipeline, or an
/// extension not enabled in <c>service::extensions</c>. The Collector ignores those silently; here they are
/// errors because an unused component is almost always a typo or a forgotten pipeline entry.
/// </summary>
internal static class UsageValidator
{
    public static void Check(IReadOnlyDictionary<ComponentKind, ComponentSection> components, ServiceSection service, ConfigErrors errors)
    {
        // Without any pipeline, "unused" would flag every component and bury the one real error.
        if (service.Pipelines.Count > 0)
        {
            const string NotInPipeline = "defined but not used in any pipeline";
            ReportUnused(components[ComponentKind.Receiver], service.Pipelines.SelectMany(p => p.Receivers).ToHashSet(), NotInPipeline, errors);
            ReportUnused(components[ComponentKind.Processor], service.Pipelines.SelectMany(p => p.Processors).ToHashSet(), NotInPipeline, errors);
            ReportUnused(components[ComponentKind.Exporter], service.Pipelines.SelectMany(p => p.Exporters).ToHashSet(), NotInPipeline, errors);
        }
        ReportUnused(components[ComponentKind.Extension], service.Extensions.ToHashSet(), "defined but not listed in service::extensions", errors);
    }

    /// <summary>Components of an unknown type are skipped: their type error already names them.</summary>
    private static void ReportUnused(ComponentSection section, HashSet<ComponentId> used, string message, ConfigErrors errors)
    {
        foreach (var component in section.Components)
        {
            if (component.Factory is not null && !used.Contains(component.Id))
            {
                errors.Add(ConfigPath.Combine(section.Kind.SectionName(), component.Id.ToString()), message, component.Entry.KeyLocation);
            }
        }
    }
}
