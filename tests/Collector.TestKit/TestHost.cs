using Collector.Core.Components;

namespace Collector.TestKit;

/// <summary>A host for components under test: keeps fatal errors instead of stopping anything, and offers the extensions a test registers.</summary>
public sealed class TestHost : IComponentHost
{
    public Dictionary<ComponentId, IExtension> Extensions { get; } = [];

    public List<(ComponentId Component, Exception Error)> FatalErrors { get; } = [];

    public void ReportFatalError(ComponentId component, Exception error)
    {
        lock (FatalErrors) FatalErrors.Add((component, error));
    }

    public IExtension? GetExtension(ComponentId id) => Extensions.GetValueOrDefault(id);
}
