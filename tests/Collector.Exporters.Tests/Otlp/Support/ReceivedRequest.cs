using Collector.Otlp.Proto.Collector;

namespace Collector.Exporters.Tests.Otlp.Support;

/// <summary>What a test sink saw of one request: headers, the bytes on the wire, and the decoded export.</summary>
public sealed class ReceivedRequest
{
    public required int Number { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Path { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The body as it arrived: a gRPC frame, or a possibly gzipped HTTP body.</summary>
    public required byte[] Wire { get; init; }

    /// <summary>The export message after framing and compression are undone (protobuf or JSON bytes).</summary>
    public required byte[] Message { get; init; }

    public required ExportProfilesServiceRequest Request { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
