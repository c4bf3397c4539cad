namespace Collector.Core.Components;

/// <summary>The factories this build of the collector knows, looked up by kind and type (or alias).</summary>
public sealed class ComponentRegistry
{
    private readonly Dictionary<(ComponentKind, string), IComponentFactory> _byType = new();
    private readonly List<IComponentFactory> _factories = new();

    public ComponentRegistry(IEnumerable<IComponentFactory> factories)
    {
        foreach (var factory in factories)
        {
            _factories.Add(factory);
            foreach (var name in factory.Aliases.Prepend(factory.Type))
            {
                if (!_byType.TryAdd((factory.Kind, name), factory))
                {
                    throw new ArgumentException($"two {factory.Kind.Noun()} factories claim the type \"{name}\"", nameof(factories));
                }
            }
        }
    }

    public IReadOnlyList<IComponentFactory> Factories => _factories;

    public IComponentFactory? Find(ComponentKind kind, string type) =>
        _byType.TryGetValue((kind, type), out var factory) ? factory : null;

    /// <summary>Types of one kind, for "did you mean" style messages and the components command.</summary>
    public IEnumerable<string> TypesOf(ComponentKind kind) =>
        _factories.Where(f => f.Kind == kind).Select(f => f.Type).Order(StringComparer.Ordinal);
}
