using System.Globalization;
using System.Text.Json;
using Collector.Core.Model;

namespace Collector.Exporters.Flamegraph;

/// <summary>
/// The page's data: every distinct (stack, process, thread) of a time range with its weight, tables written once.
/// <code>
/// {"from":ms,"to":ms,"oldest":ms,"newest":ms,
///  "processes":[{"pid":1,"name":"app","container":""}], "threads":["main"],
///  "frames":[{"n":"main","t":"native"}],
///  "stacks":[[process, thread, weight, frame, frame, …]]}     frames root first
/// </code>
/// Frames are named as in folded output: each inlined function its own frame, unsymbolized ones <c>file+0xaddress</c>;
/// <c>t</c> is the location's <c>profile.frame.type</c>, which colours it. Written with <see cref="Utf8JsonWriter"/>
/// (no reflection, so Native AOT keeps it).
/// </summary>
internal static class StacksJson
{
    public static byte[] Write(List<KeyValuePair<EntryKey, long>> entries, long fromMs, long toMs, long oldestMs, long newestMs)
    {
        var processes = new Dictionary<ProcessKey, int>();
        var threads = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new Dictionary<(string Name, string Type), int>();
        var stacks = new Dictionary<Stack, int[]>();

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("from", fromMs);
            json.WriteNumber("to", toMs);
            json.WriteNumber("oldest", oldestMs);
            json.WriteNumber("newest", newestMs);
            json.WriteStartArray("stacks");
            foreach (var (key, weight) in entries)
            {
                json.WriteStartArray();
                json.WriteNumberValue(Index(processes, key.Process));
                json.WriteNumberValue(Index(threads, key.Thread));
                json.WriteNumberValue(weight);
                if (!stacks.TryGetValue(key.Stack, out var frameIndices))
                {
                    frameIndices = FramesOf(key.Stack, frames);
                    stacks.Add(key.Stack, frameIndices);
                }
                foreach (var frame in frameIndices) json.WriteNumberValue(frame);
                json.WriteEndArray();
            }
            json.WriteEndArray();

            json.WriteStartArray("processes");
            foreach (var process in processes.Keys)
            {
                json.WriteStartObject();
                json.WriteNumber("pid", process.Pid);
                json.WriteString("name", process.Name);
                json.WriteString("container", process.ContainerId);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("threads");
            foreach (var thread in threads.Keys) json.WriteStringValue(thread);
            json.WriteEndArray();
            json.WriteStartArray("frames");
            foreach (var (name, type) in frames.Keys)
            {
                json.WriteStartObject();
                json.WriteString("n", name);
                json.WriteString("t", type);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static int Index<T>(Dictionary<T, int> table, T item)
        where T : notnull
    {
        if (table.TryGetValue(item, out var index)) return index;
        index = table.Count;
        table.Add(item, index);
        return index;
    }

    private static int[] FramesOf(Stack stack, Dictionary<(string, string), int> frames)
    {
        var indices = new List<int>(stack.Locations.Length);
        for (var i = stack.Locations.Length - 1; i >= 0; i--)
        {
            var location = stack.Locations[i];
            var type = FrameType(location);
            var named = false;
            for (var l = location.Lines.Length - 1; l >= 0; l--)
            {
                if (location.Lines[l].Function?.ToString() is not { Length: > 0 } name) continue;
                indices.Add(Index(frames, (name, type)));
                named = true;
            }
            if (named) continue;
            var address = "0x" + location.Address.ToString("x", CultureInfo.InvariantCulture);
            var unnamed = location.Mapping is { Filename.Length: > 0 } mapping ? Path.GetFileName(mapping.Filename) + "+" + address : address;
            indices.Add(Index(frames, (unnamed, type)));
        }
        return [.. indices];
    }

    private static string FrameType(Location location)
    {
        foreach (var attribute in location.Attributes)
        {
            if (attribute.Key == SemanticConventions.FrameType && attribute.Value is { Kind: AnyValueKind.String } value) return value.StringValue;
        }
        return "";
    }
}
