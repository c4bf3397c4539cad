using Collector.Core.Components;

namespace Collector.Config.Tests.Fakes;

/// <summary>
/// A factory that only knows its type and default options: loading a config never creates components, so
/// the create functions of the kind-specific factory interfaces are not needed here.
/// </summary>
internal sealed class FakeFactory<TOptions>(string type, ComponentKind kind, params string[] aliases) : IComponentFactory
    where TOptions : IComponentOptions, new()
{
    public string Type { get; } = type;

    public ComponentKind Kind { get; } = kind;

    public IReadOnlyList<string> Aliases { get; } = aliases;

    public string Description => $"fake {Kind.Noun()} for config tests";

    public IComponentOptions CreateDefaultOptions() => new TOptions();
}
