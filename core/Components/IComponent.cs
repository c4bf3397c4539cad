namespace Collector.Core.Components;

/// <summary>
/// Lifecycle shared by every component.
/// <list type="bullet">
/// <item><see cref="StartAsync"/> is called once, after every component downstream of this one has started.
/// A component may not emit data before it has started, and it must not block in StartAsync on work that
/// depends on other components: long-running work belongs on its own task.</item>
/// <item><see cref="ShutdownAsync"/> is called once upstream components have stopped. It must be safe to call
/// without a prior start and more than once; the second call is a no-op. Processors flush buffered data
/// downstream before returning, exporters drain their queues. The token bounds how long that may take.</item>
/// </list>
/// </summary>
public interface IComponent
{
    Task StartAsync(IComponentHost host, CancellationToken cancellationToken);

    Task ShutdownAsync(CancellationToken cancellationToken);
}

/// <summary>What the running collector offers to its components.</summary>
public interface IComponentHost
{
    /// <summary>
    /// Reports that a component can no longer do its work (for example a receiver whose kernel support is
    /// missing). The host decides whether the collector stops or carries on with the remaining pipelines.
    /// </summary>
    void ReportFatalError(ComponentId component, Exception error);

    /// <summary>
    /// The started extension with this id (listed in <c>service.extensions</c>), or null. Components that
    /// delegate to an extension (an authenticator, a storage for a persistent queue) look it up in StartAsync:
    /// extensions start before every other component.
    /// </summary>
    IExtension? GetExtension(ComponentId id);
}
