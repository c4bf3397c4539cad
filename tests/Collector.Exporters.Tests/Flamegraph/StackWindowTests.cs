using Collector.Core.Model;
using Collector.Exporters.Flamegraph;
using Collector.TestKit;

namespace Collector.Exporters.Tests.Flamegraph;

public sealed class StackWindowTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);

    [Fact]
    public void Weights_are_summed_per_stack_process_and_thread()
    {
        var window = new StackWindow(TimeSpan.FromMinutes(5), 1000);
        window.Add(TestBatches.Known(), Start);
        window.Add(TestBatches.Known(), Start.AddSeconds(1));

        var (entries, _, _) = window.Query(0, long.MaxValue);

        var app = new ProcessKey(100, "app", "");
        var weights = entries.ToDictionary(entry => entry.Key, entry => entry.Value);
        Assert.Equal(6, weights.Count);
        Assert.Equal(26, weights.Values.Sum());
        Assert.Equal(6, weights[new EntryKey(TestBatches.StackOf(TestBatches.ComputeFrame, TestBatches.MainFrame), app, "101")]);
        Assert.Equal(4, weights[new EntryKey(TestBatches.StackOf(TestBatches.MainFrame), app, "100")]);
        Assert.Equal(8, weights[new EntryKey(TestBatches.StackOf(TestBatches.KernelFrame, TestBatches.LibcFrame, TestBatches.MainFrame), new ProcessKey(200, "", ""), "")]);
        Assert.Equal(4, weights[new EntryKey(Stack.Empty, new ProcessKey(0, "", ""), "")]);
    }

    [Fact]
    public void A_thread_is_told_by_its_name_where_the_sample_has_one()
    {
        var window = new StackWindow(TimeSpan.FromMinutes(5), 1000);
        var named = new Sample(TestBatches.StackOf(TestBatches.MainFrame))
        {
            Values = [3],
            Attributes = [KeyValueAndUnit.Of(SemanticConventions.ThreadId, 7), KeyValueAndUnit.Of(SemanticConventions.ThreadName, "worker")],
        };
        var unnamed = new Sample(TestBatches.StackOf(TestBatches.MainFrame)) { Values = [1], Attributes = [KeyValueAndUnit.Of(SemanticConventions.ThreadId, 8)] };
        window.Add(new ProfileBatch { ResourceProfiles = [TestBatches.ResourceOf(TestBatches.CpuProfile(named, unnamed), KeyValue.Of("process.pid", 1))] }, Start);

        var threads = window.Query(0, long.MaxValue).Entries.ToDictionary(entry => entry.Key.Thread, entry => entry.Value);

        Assert.Equal(new Dictionary<string, long> { ["worker"] = 3, ["8"] = 1 }, threads);
    }

    [Fact]
    public void A_query_sums_only_the_ten_second_buckets_that_overlap_its_range()
    {
        var window = new StackWindow(TimeSpan.FromMinutes(5), 1000);
        var bucket = (long)StackWindow.BucketLength.TotalMilliseconds;
        var first = Start.ToUnixTimeMilliseconds() / bucket * bucket;
        window.Add(TestBatches.Simple(4), DateTimeOffset.FromUnixTimeMilliseconds(first + 1));
        window.Add(TestBatches.Simple(2), DateTimeOffset.FromUnixTimeMilliseconds(first + bucket + 1));

        Assert.Equal(4, Total(window.Query(first, first + bucket).Entries));
        Assert.Equal(2, Total(window.Query(first + bucket, first + 2 * bucket).Entries));
        Assert.Equal(6, Total(window.Query(first + bucket - 1, first + bucket + 1).Entries));
        Assert.Equal(0, Total(window.Query(first + 2 * bucket, first + 3 * bucket).Entries));
        var (_, oldest, newest) = window.Query(0, 1);
        Assert.Equal((first, first + 2 * bucket), (oldest, newest));
    }

    [Fact]
    public void Buckets_older_than_the_window_are_forgotten_as_time_moves_on()
    {
        var window = new StackWindow(TimeSpan.FromMinutes(1), 1000);
        window.Add(TestBatches.Simple(5), Start);
        window.Add(TestBatches.Simple(1), Start.AddSeconds(30));
        Assert.Equal(6, Total(window.Query(0, long.MaxValue).Entries));

        window.Add(TestBatches.Simple(1), Start.AddSeconds(90));

        Assert.Equal(2, Total(window.Query(0, long.MaxValue).Entries));
    }

    [Fact]
    public void Over_its_entry_cap_the_oldest_buckets_go_first_and_the_newest_always_stays()
    {
        var window = new StackWindow(TimeSpan.FromHours(1), maxEntries: 6);
        window.Add(TestBatches.Simple(3, leaves: 3, functionPrefix: "a"), Start);
        window.Add(TestBatches.Simple(3, leaves: 3, functionPrefix: "b"), Start.AddSeconds(10));
        Assert.Equal(6, Total(window.Query(0, long.MaxValue).Entries));

        window.Add(TestBatches.Simple(8, leaves: 8, functionPrefix: "c"), Start.AddSeconds(20));

        var entries = window.Query(0, long.MaxValue).Entries;
        Assert.Equal(8, entries.Count);
        Assert.All(entries, entry => Assert.StartsWith("c", entry.Key.Stack.Locations[0].Lines[0].Function!.Name, StringComparison.Ordinal));
    }

    private static long Total(List<KeyValuePair<EntryKey, long>> entries) => entries.Sum(entry => entry.Value);
}
