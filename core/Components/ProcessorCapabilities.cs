namespace Collector.Core.Components;

/// <summary>
/// What a processor type needs from the processors in front of it and what it adds for those behind it. Declared
/// on the factory, so a config is checked before anything is created: <see cref="Pipeline.ProcessorOrder"/> refuses
/// an order that cannot work, and the pipeline graph turns raw samples into profiles in front of the first
/// processor that does not take them raw.
/// </summary>
public sealed record ProcessorCapabilities
{
    /// <summary>Works on profiles, needs nothing in front of it, adds nothing.</summary>
    public static ProcessorCapabilities Default { get; } = new();

    public RawSampleHandling RawSamples { get; init; } = RawSampleHandling.Converted;

    /// <summary>What must be in a batch before it reaches this processor, when some processor of the pipeline adds it.</summary>
    public PipelineFacts Needs { get; init; }

    /// <summary>What this processor adds to every batch it forwards.</summary>
    public PipelineFacts Provides { get; init; }
}

/// <summary>How a processor takes the raw kernel samples a receiver such as <c>ebpf_profiling</c> emits.</summary>
public enum RawSampleHandling
{
    /// <summary>
    /// It sees profiles only: the pipeline graph converts raw samples (unsymbolized, one resource per pid) in front
    /// of it. Nothing behind it then receives raw samples.
    /// </summary>
    Converted,

    /// <summary>It hands raw samples on untouched (it looks at sizes or counts only), so one behind it can consume them.</summary>
    PassedThrough,

    /// <summary>It turns raw samples into profiles itself, with what only it knows (mappings, build ids): it must see them raw.</summary>
    Consumed,
}

/// <summary>Facts about a batch's content that one processor establishes and another relies on.</summary>
[Flags]
public enum PipelineFacts
{
    None = 0,

    /// <summary>One resource per process with <c>process.pid</c>, executable name and path, <c>container.id</c>, and frames placed in mappings.</summary>
    ProcessResources = 1,

    /// <summary>Frames carry function names.</summary>
    FunctionNames = 2,
}

public static class PipelineFactsExtensions
{
    /// <summary>Words for messages: "process resources and function names".</summary>
    public static string Describe(this PipelineFacts facts)
    {
        var words = new List<string>(2);
        if (facts.HasFlag(PipelineFacts.ProcessResources)) words.Add("process resources");
        if (facts.HasFlag(PipelineFacts.FunctionNames)) words.Add("function names");
        return words.Count == 0 ? "nothing" : string.Join(" and ", words);
    }
}
