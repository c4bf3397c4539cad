using System.Globalization;
using System.Text;
using Collector.Core.Model;

namespace Collector.Exporters.Debug;

/// <summary>
/// Counts a batch's samples, processes and resources and ranks its functions by self (leaf) weight.
/// Keeps its tables between batches so a steady stream of batches does not allocate them anew; one instance
/// serves one caller at a time.
/// </summary>
internal sealed class BatchSummarizer
{
    public const int TopCount = 10;

    private const string PidKey = "process.pid";

    private readonly HashSet<string> _pids = new(StringComparer.Ordinal);
    private readonly Dictionary<Location, string> _leafNames = [];
    private readonly Dictionary<string, long> _selfWeight = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, long>> _ranked = [];

    /// <summary>
    /// Appends <c>profiles: N samples (weight W), P processes, R resources</c> and, when asked, the top functions.
    /// OTLP counts sample records, while a record with several timestamps or a value stands for many
    /// occurrences; people read the weight, so the line gives both.
    /// <paramref name="sampleCount"/> is the batch's own count (raw samples one by one, as telemetry counts
    /// them); <paramref name="content"/> is the batch with its raw samples converted, where equal raw samples
    /// have merged into one sample with several timestamps.
    /// </summary>
    public void Append(StringBuilder output, int sampleCount, List<ResourceProfiles> content, bool topFunctions)
    {
        output.Append(CultureInfo.InvariantCulture, $"profiles: {sampleCount} samples (weight {TotalWeight(content)}), {CountProcesses(content)} processes, {content.Count} resources").Append('\n');
        if (topFunctions) AppendTopFunctions(output, content);
    }

    private static long TotalWeight(List<ResourceProfiles> content)
    {
        long total = 0;
        foreach (var resourceProfiles in content)
        {
            foreach (var scope in resourceProfiles.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles)
                {
                    foreach (var sample in profile.Samples) total += sample.Weight;
                }
            }
        }
        return total;
    }

    /// <summary>
    /// Distinct <c>process.pid</c> values over the resources; a resource without one counts as a process of
    /// its own, since nothing says it shares a process with another.
    /// </summary>
    private int CountProcesses(List<ResourceProfiles> content)
    {
        _pids.Clear();
        var withoutPid = 0;
        foreach (var resourceProfiles in content)
        {
            var pid = FindPid(resourceProfiles.Resource);
            if (pid is null) withoutPid++;
            else _pids.Add(pid);
        }
        return _pids.Count + withoutPid;
    }

    private static string? FindPid(Resource? resource)
    {
        if (resource is null) return null;
        foreach (var attribute in resource.Attributes)
        {
            // Int per semantic conventions, but other producers send it as a string: both name the same process.
            if (attribute.Key == PidKey && attribute.Value is { Kind: AnyValueKind.Int or AnyValueKind.String } value) return value.ToString();
        }
        return null;
    }

    private void AppendTopFunctions(StringBuilder output, List<ResourceProfiles> content)
    {
        _selfWeight.Clear();
        _leafNames.Clear();
        long total = 0;
        foreach (var resourceProfiles in content)
        {
            foreach (var scope in resourceProfiles.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles)
                {
                    foreach (var sample in profile.Samples)
                    {
                        var weight = sample.Weight;
                        total += weight;
                        var name = LeafName(sample.Stack);
                        _selfWeight[name] = _selfWeight.GetValueOrDefault(name) + weight;
                    }
                }
            }
        }

        _ranked.Clear();
        _ranked.AddRange(_selfWeight);
        _ranked.Sort(static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));

        output.Append(CultureInfo.InvariantCulture, $"  top functions by self samples (total {total}):").Append('\n');
        for (var i = 0; i < Math.Min(TopCount, _ranked.Count); i++)
        {
            var (name, weight) = _ranked[i];
            var percent = total == 0 ? 0 : 100.0 * weight / total;
            output.Append(CultureInfo.InvariantCulture, $"  {weight,10} {percent,6:0.0}%  {name}").Append('\n');
        }
    }

    private string LeafName(Stack stack)
    {
        if (stack.Locations.Length == 0) return "<no frames>";
        var leaf = stack.Locations[0];
        if (!_leafNames.TryGetValue(leaf, out var name))
        {
            name = FrameNames.Leaf(leaf);
            _leafNames.Add(leaf, name);
        }
        return name;
    }
}
