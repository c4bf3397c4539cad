using Collector.Config.Yaml;
using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config.Sections;

/// <summary>
/// A component declared in a section. <see cref="Definition"/> is null when its type is unknown or its
/// options are invalid (the errors are reported); the id still counts as configured, so a pipeline that
/// references it does not get a second, misleading "not configured" error.
/// </summary>
internal sealed record DeclaredComponent(ComponentId Id, MappingEntry Entry, IComponentFactory? Factory, ComponentDefinition? Definition);

/// <summary>The components one section (<c>receivers</c>, <c>exporters</c>...) declares, in YAML order.</summary>
internal sealed class ComponentSection(ComponentKind kind)
{
    private readonly Dictionary<ComponentId, DeclaredComponent> _byId = [];
    private readonly List<DeclaredComponent> _components = [];

    public ComponentKind Kind { get; } = kind;

    public IReadOnlyList<DeclaredComponent> Components => _components;

    public bool IsDeclared(ComponentId id) => _byId.ContainsKey(id);

    public DeclaredComponent? Find(ComponentId id) => _byId.GetValueOrDefault(id);

    public void Add(DeclaredComponent component)
    {
        _byId.Add(component.Id, component);
        _components.Add(component);
    }
}
