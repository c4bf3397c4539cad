using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Processors.Tests.Symbolization;

/// <summary>The next consumer: keeps every batch it is given.</summary>
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
