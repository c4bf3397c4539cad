using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Processors.Caching;

namespace Collector.Processors.Symbolization;

/// <summary>
/// The <c>symbolization</c> processor: gives every frame that has no name yet the name of its function, in
/// the agent, so each export stands alone. Frames it cannot name pass through with their mapping, build id
/// and address, for a backend to try. It caches symbol sources (never output) under one lifetime policy.
/// A batch that still carries raw samples (no <c>pid_lifecycle</c> in front) is converted first, so its kernel
/// frames are named at least.
/// </summary>
internal sealed class SymbolizationProcessor : IProcessor
{
    private readonly IProfilesConsumer _next;
    private readonly FrameSymbolizer _symbolizer;
    private readonly Lock _gate = new();
    private bool _stopped;

    public SymbolizationProcessor(ComponentCreateSettings settings, SymbolizationOptions options, IProfilesConsumer next, SymbolizerEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        var policy = new CachePolicy(options.CacheLifetime, options.MaxCachedFiles, environment.Time);
        Telemetry = new SymbolizerTelemetry(settings.Telemetry, settings.CreateLogger(), environment.Time);
        _symbolizer = new FrameSymbolizer(environment, policy, Telemetry);
    }

    public bool MutatesData => true;

    internal SymbolizerTelemetry Telemetry { get; }

    internal FrameSymbolizer Symbolizer => _symbolizer;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Raw is { } raw)
        {
            batch.ResourceProfiles.AddRange(RawSampleConversion.ToResourceProfiles(raw));
            batch.Raw = null;
        }
        // The caches are not thread-safe, and two pipelines may share this instance.
        lock (_gate) new BatchSymbolization(_symbolizer, batch).Run();
        return _next.ConsumeAsync(batch, cancellationToken);
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped) return Task.CompletedTask;
            _stopped = true;
            _symbolizer.Dispose();
        }
        Telemetry.LogSummary();
        return Task.CompletedTask;
    }
}
