namespace Collector.Core.Pipeline;

/// <summary>A pipeline id, <c>signal[/name]</c>. This collector carries the <c>profiles</c> signal only.</summary>
public readonly record struct PipelineId(string Signal, string Name)
{
    public const string ProfilesSignal = "profiles";

    /// <summary>Signals the OpenTelemetry Collector knows; we recognise them to give a precise error.</summary>
    public static readonly IReadOnlySet<string> KnownSignals = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics", "logs", "profiles" };

    public static PipelineId Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new PipelineId(text, "") : new PipelineId(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => Name.Length == 0 ? Signal : $"{Signal}/{Name}";
}
