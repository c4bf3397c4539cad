using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Core.Helpers;

/// <summary>
/// The exporter helper: what every exporter shares, so that one is an options class, a factory and
/// <see cref="ExportAsync"/>. It owns
/// <list type="bullet">
/// <item>the lifecycle rules (<see cref="LifecycleGuard"/>): <see cref="OnStartAsync"/> runs once,
/// <see cref="OnShutdownAsync"/> (drain what was accepted) runs once even without a start, and a batch after
/// shutdown is refused;</item>
/// <item>what an exporter may assume: <see cref="ExportAsync"/> sees only batches with samples, as profiles (raw
/// samples are converted in front of the exporters by the pipeline graph), and never control data alone;</item>
/// <item>the standard telemetry: sent / send-failed / enqueue-failed samples. An exporter that delivers within
/// <see cref="ExportAsync"/> gets them counted from its outcome (returned: sent; <see cref="RetryableException"/>:
/// not taken in; anything else: failed). One that queues, and so learns the outcome later, sets
/// <see cref="ReportsOwnOutcomes"/> and records every sample through <see cref="Outcomes"/> itself.</item>
/// </list>
/// </summary>
public abstract class ExporterBase : IExporter
{
    protected ExporterBase(ComponentCreateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Logger = settings.CreateLogger();
        Lifecycle = new LifecycleGuard($"exporter {settings.Id}");
    }

    /// <summary>Exporters read batches that other exporters share; one that changes them says so and gets a copy.</summary>
    public virtual bool MutatesData => false;

    protected ComponentCreateSettings Settings { get; }

    protected ILogger Logger { get; }

    protected LifecycleGuard Lifecycle { get; }

    /// <summary>Sent / failed / refused counts and queue gauges of this exporter.</summary>
    protected ExporterOutcomes Outcomes => Settings.Telemetry.ExporterOutcomes;

    /// <summary>True for an exporter that records its outcomes itself (it queues); see the class remarks.</summary>
    protected virtual bool ReportsOwnOutcomes => false;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) =>
        Lifecycle.TryStart() ? OnStartAsync(host, cancellationToken) : Task.CompletedTask;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Lifecycle.ThrowIfStopped();
        if (batch.Raw is not null)
        {
            throw new ArgumentException($"exporter {Settings.Id} was handed raw samples: the pipeline graph converts them in front of exporters", nameof(batch));
        }
        if (batch.HasNoSamples) return ValueTask.CompletedTask;
        if (ReportsOwnOutcomes) return ExportAsync(batch, cancellationToken);

        // Counted before the call: once handed over, the batch is the exporter's.
        var samples = batch.SampleCount;
        ValueTask pending;
        try
        {
            pending = ExportAsync(batch, cancellationToken);
        }
        catch (Exception error)
        {
            Failed(samples, error);
            throw;
        }
        if (!pending.IsCompletedSuccessfully) return AwaitOutcomeAsync(pending, samples);
        Outcomes.Sent(samples);
        return ValueTask.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken) =>
        Lifecycle.TryStop() ? OnShutdownAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Writes or sends one batch that holds samples. Called concurrently when pipelines share the exporter.</summary>
    protected abstract ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken);

    protected virtual Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Drains what was accepted and lets go of resources. Runs once, also without a start.</summary>
    protected virtual Task OnShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask AwaitOutcomeAsync(ValueTask pending, int samples)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Failed(samples, error);
            throw;
        }
        Outcomes.Sent(samples);
    }

    private void Failed(int samples, Exception error)
    {
        if (error is RetryableException) Outcomes.EnqueueFailed(samples);
        else Outcomes.SendFailed(samples, error);
    }
}
