namespace Collector.Core.Components;

/// <summary>The role a component plays; also the top-level config section it is declared in.</summary>
public enum ComponentKind
{
    Receiver,
    Processor,
    Exporter,
    Extension,
}

public static class ComponentKindExtensions
{
    /// <summary>The YAML section name: <c>receivers</c>, <c>processors</c>, <c>exporters</c>, <c>extensions</c>.</summary>
    public static string SectionName(this ComponentKind kind) => kind switch
    {
        ComponentKind.Receiver => "receivers",
        ComponentKind.Processor => "processors",
        ComponentKind.Exporter => "exporters",
        ComponentKind.Extension => "extensions",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The singular, lower-case word used in messages ("references receiver ...").</summary>
    public static string Noun(this ComponentKind kind) => kind.ToString().ToLowerInvariant();
}
