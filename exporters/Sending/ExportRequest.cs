namespace Collector.Exporters.Sending;

/// <summary>How a request body is encoded. Stored with persistent requests, so a change of <c>encoding</c> between runs is noticed.</summary>
public enum RequestEncoding : byte
{
    Proto = 1,
    Json = 2,
}

/// <summary>
/// One OTLP export, encoded and uncompressed, ready to send: a self-contained
/// <c>ExportProfilesServiceRequest</c> and the number of samples in it (the item count for telemetry).
/// Immutable, so a retry resends exactly what the first attempt sent.
/// </summary>
public sealed class ExportRequest(RequestEncoding encoding, byte[] body, int samples)
{
    public RequestEncoding Encoding { get; } = encoding;

    public byte[] Body { get; } = body;

    public int Samples { get; } = samples;
}
