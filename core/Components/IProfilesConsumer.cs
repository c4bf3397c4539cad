using Collector.Core.Model;

namespace Collector.Core.Components;

/// <summary>
/// Something that accepts batches of profiles: a processor or an exporter, or the fan-out in front of several.
/// <para>Ownership: the caller gives up the batch when it calls <see cref="ConsumeAsync"/> and never touches it
/// again. A consumer whose <see cref="MutatesData"/> is false must treat the batch as read-only, because the
/// same instance may be handed to other consumers; it may keep a reference to it (an exporter queue does).
/// A consumer that mutates says so, and the fan-out gives it a private copy when others share the batch.</para>
/// <para>Errors: a returned task that faults means the batch was not accepted. <see cref="RetryableException"/>
/// says the caller may try again later (backpressure); any other exception is permanent for that batch.</para>
/// <para>Control data (process events, the watermark, executables) must be forwarded by every processor, even one that
/// drops every sample; exporters never see it alone, nor raw samples. The whole contract, with what each side may
/// assume: docs/pipeline-contract.md.</para>
/// </summary>
public interface IProfilesConsumer
{
    bool MutatesData { get; }

    ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken);
}

/// <summary>The consumer refused the data for now (full queue, memory pressure); retrying later may succeed.</summary>
public sealed class RetryableException : Exception
{
    public RetryableException(string message) : base(message) { }

    public RetryableException(string message, Exception inner) : base(message, inner) { }
}
