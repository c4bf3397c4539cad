using Collector.Core.Components;

namespace Collector.Core.Extensions;

/// <summary>
/// An extension that keeps state across restarts for other components (the persistent sending queue). Components
/// name it with <c>storage: id</c> and find it through <see cref="IComponentHost.GetExtension"/> when they start.
/// </summary>
public interface IStorageExtension
{
    /// <summary>
    /// A directory of the client component's own, created if missing and stable across restarts for the same kind and
    /// id; two components never share one. Throws <see cref="IOException"/> when it cannot be created.
    /// </summary>
    string DirectoryFor(ComponentKind kind, ComponentId component);
}
