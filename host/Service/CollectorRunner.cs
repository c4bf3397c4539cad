using Collector.Core.Components;
using Collector.Core.Pipeline;
using Collector.Core.Telemetry;
using Collector.Host.CommandLine;
using Collector.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Collector.Host.Service;

/// <summary>Runs a loaded configuration on the Generic Host until SIGINT/SIGTERM or a fatal component error.</summary>
internal static class CollectorRunner
{
    /// <summary>How long shutdown may take to drain the pipelines before the host gives up.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(ComponentRegistry registry, Func<ComponentRegistry, LoadResult> load, TextWriter error)
    {
        var result = load(registry);
        if (result.Service is null)
        {
            foreach (var line in result.Errors) await error.WriteLineAsync(line).ConfigureAwait(false);
            return CollectorCommandLine.Failure;
        }

        using var host = BuildHost(result.Service);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("service");
        foreach (var warning in result.Warnings) HostLog.ConfigWarning(logger, warning);
        var collector = host.Services.GetRequiredService<CollectorService>();
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (ComponentStartException failure)
        {
            // The message names the component and the cause (a missing capability, a port in use): a stack trace
            // would bury it. It stays available at debug level.
            HostLog.StartFailed(logger, failure.Message);
            HostLog.StartFailedDetail(logger, failure.InnerException);
            return CollectorCommandLine.Failure;
        }
        return collector.FailedFatally ? CollectorCommandLine.Failure : CollectorCommandLine.Success;
    }

    private static IHost BuildHost(ServiceDefinition service)
    {
        // No appsettings.json, environment or command-line providers: the YAML config is the only configuration.
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(ParseLogLevel(service.Telemetry.LogLevel));
        // The host would log a failed start again with its stack trace; ours names the component and the cause.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        // Logs go to stderr so stdout stays free for data (the debug exporter writes there).
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(service.Telemetry);
        builder.Services.AddSingleton(TimeProvider.System);
        // Made before the graph, so every component's instruments are listened to from their creation.
        builder.Services.AddSingleton(provider => new CollectorTelemetry(TelemetryLevels.Parse(service.Telemetry.MetricsLevel), provider.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CollectorService>();
        builder.Services.AddSingleton<TelemetryEndpointService>();
        // Hosted services start in this order and stop in reverse: the metrics endpoint outlives the pipelines.
        builder.Services.AddHostedService(provider => provider.GetRequiredService<TelemetryEndpointService>());
        builder.Services.AddHostedService(provider => provider.GetRequiredService<CollectorService>());
        return builder.Build();
    }

    internal static LogLevel ParseLogLevel(string level) => level.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
