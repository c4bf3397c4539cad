using Collector.Core.Components;
using Collector.Telemetry;

namespace Collector.Core.Telemetry.Pipeline;

public static class ReceiverTransports
{
    /// <summary>
    /// The consumer to push batches through for one transport (<c>grpc</c>, <c>http</c>, <c>file</c>, ...), so
    /// the receiver's accepted/refused/failed counts carry <c>transport="..."</c>. Call it once per transport
    /// when the receiver is created and keep the result. A consumer that is not the pipeline's counting one
    /// (a test's) is returned as it is.
    /// </summary>
    public static IProfilesConsumer WithTransport(this IProfilesConsumer next, string transport)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentException.ThrowIfNullOrEmpty(transport);
        return next is ObservedReceiverOutput observed ? observed.ForTransport(transport) : next;
    }
}
