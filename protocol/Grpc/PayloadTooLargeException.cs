namespace Collector.Protocol.Grpc;

/// <summary>A body or message was longer than the limit; reading stopped at the limit, so nothing more was buffered.</summary>
public sealed class PayloadTooLargeException : Exception
{
    public PayloadTooLargeException(string message, long limit) : base(message) => Limit = limit;

    public long Limit { get; }
}
