using Microsoft.Extensions.Logging;

namespace Collector.Core.Components;

/// <summary>What a factory gets, besides the options, to build a component.</summary>
public sealed class ComponentCreateSettings
{
    public required ComponentId Id { get; init; }

    public required ComponentKind Kind { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>Every clock read goes through this, so tests can drive time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The logger category is the component kind and id, e.g. <c>exporter/file</c>.</summary>
    public ILogger CreateLogger() => LoggerFactory.CreateLogger($"{Kind.Noun()}/{Id}");
}
