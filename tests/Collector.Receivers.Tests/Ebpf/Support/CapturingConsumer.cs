using Collector.Bpf;
using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>Keeps every batch with the kernel time it arrived at, for assertions on content, order and lag.</summary>
internal sealed class CapturingConsumer : IProfilesConsumer
{
    private readonly Lock _gate = new();
    private readonly List<(ProfileBatch Batch, ulong ArrivedKtime)> _batches = [];

    public bool MutatesData => false;

    public IReadOnlyList<(ProfileBatch Batch, ulong ArrivedKtime)> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public IEnumerable<RawSample> Samples => Batches.SelectMany(b => b.Batch.Raw?.Samples ?? []);

    public IEnumerable<ProcessEvent> Events => Batches.SelectMany(b => b.Batch.ProcessEvents);

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        var arrived = KernelClock.MonotonicNanos();
        lock (_gate)
        {
            _batches.Add((batch, arrived));
        }
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingHost : IComponentHost
{
    public List<(ComponentId Component, Exception Error)> FatalErrors { get; } = [];

    public void ReportFatalError(ComponentId component, Exception error) => FatalErrors.Add((component, error));

    public IExtension? GetExtension(ComponentId id) => null;
}
