using System.Text.Json;
using Collector.Exporters.Flamegraph;
using Collector.TestKit;

namespace Collector.Exporters.Tests.Flamegraph;

public sealed class StacksJsonTests
{
    [Fact]
    public void Stacks_list_process_thread_weight_and_frames_root_first_with_each_table_written_once()
    {
        var window = new StackWindow(TimeSpan.FromMinutes(5), 1000);
        window.Add(TestBatches.Known(), DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000));
        var (entries, oldest, newest) = window.Query(0, long.MaxValue);

        using var json = JsonDocument.Parse(StacksJson.Write(entries, 10, 20, oldest, newest));

        var root = json.RootElement;
        Assert.Equal((10, 20, oldest, newest), (root.GetProperty("from").GetInt64(), root.GetProperty("to").GetInt64(), root.GetProperty("oldest").GetInt64(), root.GetProperty("newest").GetInt64()));
        var processes = root.GetProperty("processes").EnumerateArray().Select(p => $"{p.GetProperty("pid").GetInt64()}:{p.GetProperty("name").GetString()}:{p.GetProperty("container").GetString()}").ToArray();
        var threads = root.GetProperty("threads").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var frames = root.GetProperty("frames").EnumerateArray().Select(f => $"{f.GetProperty("n").GetString()} [{f.GetProperty("t").GetString()}]").ToArray();
        Assert.Equal(processes.Length, processes.Distinct().Count());
        Assert.Equal(threads.Length, threads.Distinct().Count());
        Assert.Equal(frames.Length, frames.Distinct().Count());

        var stacks = root.GetProperty("stacks").EnumerateArray().Select(stack =>
        {
            var values = stack.EnumerateArray().Select(v => v.GetInt32()).ToArray();
            return $"{processes[values[0]]} | {threads[values[1]]} | {values[2]} | {string.Join(" ; ", values[3..].Select(f => frames[f]))}";
        }).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
        [
            "0:: |  | 2 | ",
            "100:app: | 100 | 2 | main [native]",
            "100:app: | 101 | 1 | main [native] ; libc.so.6+0x7f0000001234 [native]",
            "100:app: | 101 | 3 | main [native] ; compute [native] ; helper [native]",
            "200:: |  | 1 | main [native] ; compute [native] ; helper [native]",
            "200:: |  | 4 | main [native] ; libc.so.6+0x7f0000001234 [native] ; 0xffffffff81000000 [kernel]",
        ], stacks);
    }

    [Fact]
    public void No_entries_give_empty_tables()
    {
        using var json = JsonDocument.Parse(StacksJson.Write([], 1, 2, 0, 0));

        foreach (var table in new[] { "stacks", "processes", "threads", "frames" }) Assert.Equal(0, json.RootElement.GetProperty(table).GetArrayLength());
    }
}
