namespace Collector.Core.Components;

/// <summary>Produces batches and pushes them into the consumer it was created with.</summary>
public interface IReceiver : IComponent;

/// <summary>
/// Transforms batches on their way to the next consumer (given at creation). On shutdown it flushes what it
/// still holds to that consumer before returning.
/// </summary>
public interface IProcessor : IComponent, IProfilesConsumer;

/// <summary>Sends batches out of the collector. On shutdown it drains what it has accepted.</summary>
public interface IExporter : IComponent, IProfilesConsumer;

/// <summary>A component outside the data path (health check, authenticators).</summary>
public interface IExtension : IComponent;
