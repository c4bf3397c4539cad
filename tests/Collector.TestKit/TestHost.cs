using Collector.Core.Components;

namespace Collector.TestKit;

/// <summary>
/// A host for components under test: keeps fatal errors instead of stopping anything (or fails the test at once,
/// with <see cref="FailOnFatalError"/>), and offers the extensions a test registers.
/// </summary>
public sealed class TestHost : IComponentHost
{
    public Dictionary<ComponentId, IExtension> Extensions { get; } = [];

    public List<(ComponentId Component, Exception Error)> FatalErrors { get; } = [];

    /// <summary>A fatal error fails the test where it is reported, with the component and the error.</summary>
    public bool FailOnFatalError { get; init; }

    public void ReportFatalError(ComponentId component, Exception error)
    {
        if (FailOnFatalError) Assert.Fail($"{component} reported a fatal error: {error}");
        lock (FatalErrors) FatalErrors.Add((component, error));
    }

    public IExtension? GetExtension(ComponentId id) => Extensions.GetValueOrDefault(id);
}
