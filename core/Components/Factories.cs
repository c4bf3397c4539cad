namespace Collector.Core.Components;

/// <summary>Base for factories: a type name, typed default options, a typed create function.</summary>
public abstract class ComponentFactory<TOptions> : IComponentFactory
    where TOptions : class, IComponentOptions, new()
{
    public abstract string Type { get; }

    public abstract ComponentKind Kind { get; }

    public abstract string Description { get; }

    public virtual IReadOnlyList<string> Aliases => [];

    public virtual IComponentOptions CreateDefaultOptions() => new TOptions();

    protected static TOptions Typed(IComponentOptions options) =>
        options as TOptions ?? throw new ArgumentException($"expected {typeof(TOptions).Name}, got {options.GetType().Name}", nameof(options));
}

public abstract class ReceiverFactory<TOptions> : ComponentFactory<TOptions>, IReceiverFactory
    where TOptions : class, IComponentOptions, new()
{
    public sealed override ComponentKind Kind => ComponentKind.Receiver;

    public IReceiver CreateReceiver(ComponentCreateSettings settings, IComponentOptions options, IProfilesConsumer next) =>
        Create(settings, Typed(options), next);

    protected abstract IReceiver Create(ComponentCreateSettings settings, TOptions options, IProfilesConsumer next);
}

public abstract class ProcessorFactory<TOptions> : ComponentFactory<TOptions>, IProcessorFactory
    where TOptions : class, IComponentOptions, new()
{
    public sealed override ComponentKind Kind => ComponentKind.Processor;

    public virtual ProcessorCapabilities Capabilities => ProcessorCapabilities.Default;

    public IProcessor CreateProcessor(ComponentCreateSettings settings, IComponentOptions options, IProfilesConsumer next) =>
        Create(settings, Typed(options), next);

    protected abstract IProcessor Create(ComponentCreateSettings settings, TOptions options, IProfilesConsumer next);
}

public abstract class ExporterFactory<TOptions> : ComponentFactory<TOptions>, IExporterFactory
    where TOptions : class, IComponentOptions, new()
{
    public sealed override ComponentKind Kind => ComponentKind.Exporter;

    public IExporter CreateExporter(ComponentCreateSettings settings, IComponentOptions options) =>
        Create(settings, Typed(options));

    protected abstract IExporter Create(ComponentCreateSettings settings, TOptions options);
}

public abstract class ExtensionFactory<TOptions> : ComponentFactory<TOptions>, IExtensionFactory
    where TOptions : class, IComponentOptions, new()
{
    public sealed override ComponentKind Kind => ComponentKind.Extension;

    public IExtension CreateExtension(ComponentCreateSettings settings, IComponentOptions options) =>
        Create(settings, Typed(options));

    protected abstract IExtension Create(ComponentCreateSettings settings, TOptions options);
}
