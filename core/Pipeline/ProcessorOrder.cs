using Collector.Core.Components;

namespace Collector.Core.Pipeline;

/// <summary>
/// Checks that a pipeline's processors come in an order that can work, from what their factories declare
/// (<see cref="ProcessorCapabilities"/>). Two rules:
/// <list type="bullet">
/// <item>A processor that consumes raw samples (<c>pid_lifecycle</c>) must not come after one that takes them
/// converted: the conversion in front of that one would leave it nothing raw, and frames would lose their mappings.</item>
/// <item>A processor that needs something (process resources, function names) must come after every processor of
/// the pipeline that provides it, or it would run before the data it reads is there.</item>
/// </list>
/// The config layer reports each problem on the line of the later processor; the graph refuses to build such a
/// pipeline too, for definitions made without the config layer.
/// </summary>
public static class ProcessorOrder
{
    /// <summary>One problem: the processor at <see cref="Index"/> cannot work where it is because of the one at <see cref="OtherIndex"/>.</summary>
    public readonly record struct Problem(int Index, int OtherIndex, string Message);

    public static List<Problem> Check(IReadOnlyList<(ComponentId Id, ProcessorCapabilities Capabilities)> processors)
    {
        ArgumentNullException.ThrowIfNull(processors);
        var problems = new List<Problem>();
        for (var later = 0; later < processors.Count; later++)
        {
            var (laterId, laterCapabilities) = processors[later];
            for (var earlier = 0; earlier < later; earlier++)
            {
                var (earlierId, earlierCapabilities) = processors[earlier];
                if (laterCapabilities.RawSamples == RawSampleHandling.Consumed && earlierCapabilities.RawSamples == RawSampleHandling.Converted)
                {
                    problems.Add(new Problem(later, earlier,
                        $"processor \"{laterId}\" turns raw samples into profiles itself, but \"{earlierId}\" before it receives them already converted; list \"{laterId}\" before \"{earlierId}\""));
                    continue; // one problem per pair: the fix is the same
                }
                // What the later one provides, the earlier one needs: the earlier runs before its input exists.
                var missing = earlierCapabilities.Needs & laterCapabilities.Provides;
                if (missing != PipelineFacts.None)
                {
                    problems.Add(new Problem(earlier, later,
                        $"processor \"{earlierId}\" needs {missing.Describe()}, which \"{laterId}\" provides, but comes before it; list \"{laterId}\" before \"{earlierId}\""));
                }
            }
        }
        return problems;
    }
}
