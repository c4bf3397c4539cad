using Microsoft.Extensions.Hosting;

namespace Collector.Protocol.Hosting;

/// <summary>
/// The lifetime for a web server a component runs inside the collector (the OTLP receiver, the metrics and
/// health endpoints). A WebApplication otherwise gets a console lifetime, which takes SIGINT/SIGTERM for
/// itself: the collector would then no longer stop on Ctrl-C. Only the collector's own host owns the signals;
/// embedded servers start and stop when their component does.
/// </summary>
public sealed class EmbeddedServerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
