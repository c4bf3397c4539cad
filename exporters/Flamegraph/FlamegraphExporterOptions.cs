using Collector.Core.Components;
using Collector.Protocol.Http;

namespace Collector.Exporters.Flamegraph;

/// <summary>Options of the <c>flamegraph</c> exporter: where the page is served and how much history it keeps in memory.</summary>
public sealed class FlamegraphExporterOptions : IComponentOptions
{
    /// <summary>host:port of the page; localhost (loopback only) unless configured otherwise.</summary>
    public string Endpoint { get; set; } = "localhost:4040";

    /// <summary>How far back the page can look; older samples are forgotten.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Most distinct (stack, process, thread) entries kept over the window; beyond it the oldest seconds go first.</summary>
    public int MaxStacks { get; set; } = 200_000;

    public IEnumerable<OptionsError> Validate()
    {
        if (!ListenAddress.TryParse(Endpoint, out _, out var error))
        {
            yield return new OptionsError("endpoint", error);
        }
        if (Window < StackWindow.BucketLength)
        {
            yield return new OptionsError("window", $"must be at least {StackWindow.BucketLength.TotalSeconds:0}s");
        }
        if (MaxStacks < 1)
        {
            yield return new OptionsError("max_stacks", "must be at least 1");
        }
    }
}
