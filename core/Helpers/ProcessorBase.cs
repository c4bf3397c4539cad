using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Core.Helpers;

/// <summary>
/// The processor helper: what every processor shares, so that a simple one is an options class, a factory and
/// one function over a batch (<see cref="Process"/>). It owns
/// <list type="bullet">
/// <item>the lifecycle rules (<see cref="LifecycleGuard"/>): <see cref="OnStartAsync"/> runs once,
/// <see cref="OnShutdownAsync"/> runs once even without a start, and a batch after shutdown is refused;</item>
/// <item>the control-data contract: whatever <see cref="Process"/> does to the samples, the batch is forwarded
/// with its process events, watermark and executables (see <see cref="IProfilesConsumer"/>); only a batch left
/// with nothing at all is not;</item>
/// <item>the standard telemetry: <c>otelcol_processor_incoming_items</c> and <c>otelcol_processor_outgoing_items</c>.</item>
/// </list>
/// A processor that must do something around the downstream call (hold a file until it returns) overrides
/// <see cref="ProcessAsync"/> and calls <see cref="ForwardAsync"/> itself.
/// </summary>
public abstract class ProcessorBase : IProcessor
{
    private readonly IProfilesConsumer _next;
    private readonly TelemetryCounter _incoming;
    private readonly TelemetryCounter _outgoing;

    protected ProcessorBase(ComponentCreateSettings settings, IProfilesConsumer next)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        _next = next;
        Settings = settings;
        Logger = settings.CreateLogger();
        Lifecycle = new LifecycleGuard($"processor {settings.Id}");
        _incoming = settings.Telemetry.Counter(CollectorMetrics.ProcessorIncomingItems, (CollectorMetrics.SignalLabel, CollectorMetrics.ProfilesSignal));
        _outgoing = settings.Telemetry.Counter(CollectorMetrics.ProcessorOutgoingItems, (CollectorMetrics.SignalLabel, CollectorMetrics.ProfilesSignal));
    }

    /// <summary>True when <see cref="Process"/> changes batches; the fan-out then gives this processor its own copy.</summary>
    public abstract bool MutatesData { get; }

    protected ComponentCreateSettings Settings { get; }

    protected ILogger Logger { get; }

    protected LifecycleGuard Lifecycle { get; }

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) =>
        Lifecycle.TryStart() ? OnStartAsync(host, cancellationToken) : Task.CompletedTask;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Lifecycle.ThrowIfStopped();
        if (_incoming.Enabled) _incoming.Add(batch.SampleCount);
        return ProcessAsync(batch, cancellationToken);
    }

    public Task ShutdownAsync(CancellationToken cancellationToken) =>
        Lifecycle.TryStop() ? OnShutdownAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Changes the batch in place: drop or edit samples, resources, attributes. Control data stays for the helper to forward.</summary>
    protected virtual void Process(ProfileBatch batch)
    {
    }

    /// <summary>By default <see cref="Process"/>, then <see cref="ForwardAsync"/>.</summary>
    protected virtual ValueTask ProcessAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        Process(batch);
        return ForwardAsync(batch, cancellationToken);
    }

    /// <summary>Hands the batch to the next consumer, unless nothing is left in it (no samples and no control data).</summary>
    protected ValueTask ForwardAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty) return ValueTask.CompletedTask;
        if (_outgoing.Enabled) _outgoing.Add(batch.SampleCount);
        return _next.ConsumeAsync(batch, cancellationToken);
    }

    protected virtual Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Flushes what the processor still holds downstream and lets go of its resources. Runs once, also without a start.</summary>
    protected virtual Task OnShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
