using Collector.Config.Binding;
using Collector.Config.Errors;
using Collector.Config.Yaml;
using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config.Sections;

/// <summary>
/// Reads one component section: parses each id, finds its factory, binds the YAML onto the factory's default
/// options and runs their <see cref="IComponentOptions.Validate"/>.
/// </summary>
internal sealed class ComponentSectionReader(ComponentRegistry registry, ConfigErrors errors)
{
    private readonly OptionsBinder _binder = new(errors);

    public ComponentSection Read(ComponentKind kind, MappingEntry? sectionEntry)
    {
        var section = new ComponentSection(kind);
        switch (sectionEntry?.Value)
        {
            case null or ScalarNode { IsNull: true } or ScalarNode { AlreadyReported: true }:
                break;
            case MappingNode mapping:
                foreach (var entry in mapping.Entries)
                {
                    ReadComponent(section, entry);
                }
                break;
            case var other:
                errors.Add(kind.SectionName(), $"expected a mapping of component ids to their options, got {other.Describe()}", sectionEntry.KeyLocation);
                break;
        }
        return section;
    }

    private void ReadComponent(ComponentSection section, MappingEntry entry)
    {
        var kind = section.Kind;
        if (!ComponentId.TryParse(entry.Key, out var parsed, out var idError))
        {
            errors.Add(kind.SectionName(), idError, entry.KeyLocation);
            return;
        }
        var id = parsed.Value;
        var path = ConfigPath.Combine(kind.SectionName(), id.ToString());
        var factory = registry.Find(kind, id.Type);
        if (factory is null)
        {
            var valid = registry.TypesOf(kind).ToList();
            errors.Add(path, $"unknown {kind.Noun()} type \"{id.Type}\" (valid: {(valid.Count == 0 ? "none" : string.Join(", ", valid))})", entry.KeyLocation);
            section.Add(new DeclaredComponent(id, entry, null, null));
            return;
        }
        var options = BindAndValidate(factory, entry, path);
        var definition = options is null ? null : new ComponentDefinition(kind, id, factory, options);
        section.Add(new DeclaredComponent(id, entry, factory, definition));
    }

    /// <summary>The bound, valid options, or null once the problems are reported.</summary>
    private IComponentOptions? BindAndValidate(IComponentFactory factory, MappingEntry entry, string path)
    {
        try
        {
            var options = factory.CreateDefaultOptions();
            var bound = entry.Value switch
            {
                ScalarNode { IsNull: true } => true,
                ScalarNode { AlreadyReported: true } => false,
                MappingNode mapping => _binder.BindObject(options, mapping, path),
                var other => Reject(path, $"expected a mapping of options, got {other.Describe()}", entry.KeyLocation),
            };
            // Validating half-bound options would only repeat the binding errors in other words.
            return bound && Validate(options, entry, path) ? options : null;
        }
#pragma warning disable CA1031 // A bug in a factory or options class must still come out as a config error naming the component.
        catch (Exception e)
#pragma warning restore CA1031
        {
            errors.Add(path, $"could not load the options: {e.Message}", entry.KeyLocation);
            return null;
        }
    }

    private bool Validate(IComponentOptions options, MappingEntry entry, string path)
    {
        var valid = true;
        foreach (var problem in options.Validate())
        {
            var problemPath = problem.Key is null ? path : ConfigPath.Combine(path, problem.Key);
            errors.Add(problemPath, problem.Message, OptionsErrorLocator.Find(entry, problem.Key));
            valid = false;
        }
        return valid;
    }

    private bool Reject(string path, string message, ConfigLocation location)
    {
        errors.Add(path, message, location);
        return false;
    }
}
