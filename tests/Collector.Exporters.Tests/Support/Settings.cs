using Collector.Core.Components;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Tests.Support;

public static class Settings
{
    public static ComponentCreateSettings For(string type, ComponentKind kind, TimeProvider? time = null, ILoggerFactory? logs = null) => new()
    {
        Id = ComponentId.Of(type),
        Kind = kind,
        LoggerFactory = logs ?? NullLoggerFactory.Instance,
        TimeProvider = time ?? TimeProvider.System,
    };
}

/// <summary>A host that remembers fatal errors instead of stopping anything.</summary>
public sealed class TestHost : IComponentHost
{
    public List<Exception> FatalErrors { get; } = [];

    public void ReportFatalError(ComponentId component, Exception error) => FatalErrors.Add(error);

    public IExtension? GetExtension(ComponentId id) => null;
}
