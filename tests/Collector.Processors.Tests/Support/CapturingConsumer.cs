using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Processors.Tests;

/// <summary>The next consumer of a processor under test: keeps every batch it is given. Shared by every processor's tests.</summary>
public sealed class CapturingConsumer : IProfilesConsumer
{
    public List<ProfileBatch> Batches { get; } = [];

    public bool MutatesData => false;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        Batches.Add(batch);
        return ValueTask.CompletedTask;
    }
}
