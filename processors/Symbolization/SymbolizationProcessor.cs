using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Processors.Caching;
using Collector.Processors.Symbolization.Runtimes;

namespace Collector.Processors.Symbolization;

/// <summary>
/// The <c>symbolization</c> processor: gives every frame that has no name yet the name of its function, in
/// the agent, so each export stands alone. Frames it cannot name pass through with their mapping, build id
/// and address, for a backend to try. It caches symbol sources (never output) under one lifetime policy.
/// Without <c>pid_lifecycle</c> in front, the pipeline graph converts raw samples before they reach it, so their
/// kernel frames are named at least.
/// </summary>
internal sealed class SymbolizationProcessor : ProcessorBase
{
    private readonly FrameSymbolizer _symbolizer;
    private readonly Lock _gate = new();

    public SymbolizationProcessor(ComponentCreateSettings settings, SymbolizationOptions options, IProfilesConsumer next, SymbolizerEnvironment environment)
        : base(settings, next)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = new CachePolicy(options.CacheLifetime, options.MaxCachedFiles, environment.Time);
        Telemetry = new SymbolizerTelemetry(settings.Telemetry, settings.CreateLogger(), environment.Time);
        RuntimeRequests = new RuntimeRequestTelemetry(settings.Telemetry, settings.CreateLogger());
        var runtimes = options.Dotnet.EnablePerfMaps || options.Java.EnablePerfMaps
            ? new RuntimePerfMaps(
                options.Dotnet.EnablePerfMaps ? new DotnetPerfMapEnabler(environment.ProcRoot, RuntimeRequests) : null,
                options.Java.EnablePerfMaps ? new JavaPerfMapRequester(environment.ProcRoot, RuntimeRequests, environment.Time) : null,
                environment.Time)
            : null;
        _symbolizer = new FrameSymbolizer(environment, policy, Telemetry, runtimes, options.Python.Enabled);
    }

    public override bool MutatesData => true;

    internal SymbolizerTelemetry Telemetry { get; }

    internal RuntimeRequestTelemetry RuntimeRequests { get; }

    internal FrameSymbolizer Symbolizer => _symbolizer;

    protected override void Process(ProfileBatch batch)
    {
        // The caches are not thread-safe, and two pipelines may share this instance.
        lock (_gate) new BatchSymbolization(_symbolizer, batch).Run();
    }

    protected override async Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        // Runtimes we turned perf maps on for turn them off again; each exchange has its own deadline.
        if (_symbolizer.Runtimes is { } runtimes) await runtimes.ShutdownAsync().ConfigureAwait(false);
        lock (_gate) _symbolizer.Dispose();
        Telemetry.LogSummary(RuntimeRequests.Describe());
    }
}
