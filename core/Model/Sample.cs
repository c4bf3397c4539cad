using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>
/// One sample of a profile: its stack, per-sample attributes (thread, cpu), an optional trace link, and
/// values and/or timestamps. With timestamps only, each timestamp counts as one occurrence.
/// </summary>
public sealed class Sample
{
    public Sample(Stack stack)
    {
        Stack = stack;
    }

    public Stack Stack { get; set; }

    public ImmutableArray<KeyValueAndUnit> Attributes { get; set; } = [];

    public Link? Link { get; set; }

    public List<long> Values { get; init; } = [];

    public List<ulong> TimestampsUnixNano { get; init; } = [];

    /// <summary>How many times this stack was seen: the sum of values, or the number of timestamps without values.</summary>
    public long Weight
    {
        get
        {
            if (Values.Count == 0) return TimestampsUnixNano.Count;
            long sum = 0;
            foreach (var value in Values) sum += value;
            return sum;
        }
    }

    public Sample Clone() => new(Stack)
    {
        Attributes = Attributes,
        Link = Link,
        Values = [.. Values],
        TimestampsUnixNano = [.. TimestampsUnixNano],
    };
}
