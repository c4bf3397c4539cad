namespace Collector.Core.Components;

/// <summary>
/// Knows one component type: its name, its default options, and how to create an instance.
/// The config layer binds YAML onto <see cref="CreateDefaultOptions"/>'s result and then calls
/// <see cref="IComponentOptions.Validate"/>; only valid options reach a create function.
/// </summary>
public interface IComponentFactory
{
    string Type { get; }

    ComponentKind Kind { get; }

    /// <summary>Other type names accepted in configs (deprecated spellings such as <c>otlp</c> for <c>otlp_grpc</c>).</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>One line for <c>collector components</c>.</summary>
    string Description { get; }

    IComponentOptions CreateDefaultOptions();
}

public interface IReceiverFactory : IComponentFactory
{
    IReceiver CreateReceiver(ComponentCreateSettings settings, IComponentOptions options, IProfilesConsumer next);
}

public interface IProcessorFactory : IComponentFactory
{
    /// <summary>How it takes raw samples, what it needs in front of it and what it adds; checked against the pipeline's order.</summary>
    ProcessorCapabilities Capabilities => ProcessorCapabilities.Default;

    IProcessor CreateProcessor(ComponentCreateSettings settings, IComponentOptions options, IProfilesConsumer next);
}

public interface IExporterFactory : IComponentFactory
{
    IExporter CreateExporter(ComponentCreateSettings settings, IComponentOptions options);
}

public interface IExtensionFactory : IComponentFactory
{
    IExtension CreateExtension(ComponentCreateSettings settings, IComponentOptions options);
}
