using System.Globalization;
using System.Text;
using Collector.Core.Model;

namespace Collector.Exporters.File;

/// <summary>
/// A batch as folded stacks, the text of <c>flamegraph.pl</c>, speedscope and Pyroscope's ingest: one line per
/// distinct stack, <c>process;root;…;leaf count</c>, frames root first and the process name as the first frame (as
/// <c>stackcollapse-perf.pl</c> writes it), so a whole-machine profile stays one flame graph per process.
/// Equal stacks of a batch are summed; the same stack in later batches is another line, which every reader adds up.
/// <para>Frames: the function name (inlined functions each their own frame, callers first); unsymbolized frames
/// <c>file+0xaddress</c> or <c>0xaddress</c>; kernel frames end in <c>_[k]</c>, the suffix flamegraph.pl colours as
/// kernel. <c>;</c> and line breaks, which would break a line apart, become <c>:</c> and spaces.</para>
/// </summary>
internal static class FoldedEncoder
{
    private const string KernelSuffix = "_[k]";

    public static byte[] Encode(ProfileBatch batch)
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new List<string>();
        var line = new StringBuilder();
        foreach (var resourceProfiles in batch.ResourceProfiles)
        {
            var process = ProcessName(resourceProfiles.Resource);
            foreach (var scope in resourceProfiles.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles)
                {
                    foreach (var sample in profile.Samples)
                    {
                        var weight = sample.Weight;
                        if (weight <= 0) continue;
                        line.Clear();
                        AppendFrame(line, process);
                        AppendStack(line, sample.Stack);
                        var key = line.ToString();
                        if (weights.TryGetValue(key, out var sum)) weights[key] = sum + weight;
                        else
                        {
                            weights.Add(key, weight);
                            order.Add(key);
                        }
                    }
                }
            }
        }
        var text = new StringBuilder();
        foreach (var stack in order) text.Append(stack).Append(' ').Append(weights[stack].ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void AppendStack(StringBuilder line, Stack stack)
    {
        if (stack.Locations.Length == 0)
        {
            line.Append(";[no frames]");
            return;
        }
        for (var i = stack.Locations.Length - 1; i >= 0; i--)
        {
            var location = stack.Locations[i];
            var kernel = IsKernel(location);
            var named = false;
            // Lines are innermost first; the flame graph reads callers first.
            for (var l = location.Lines.Length - 1; l >= 0; l--)
            {
                if (location.Lines[l].Function?.ToString() is not { Length: > 0 } name) continue;
                line.Append(';');
                AppendFrame(line, kernel ? name + KernelSuffix : name);
                named = true;
            }
            if (named) continue;
            line.Append(';');
            if (location.Mapping is { Filename.Length: > 0 } mapping) AppendFrame(line, Path.GetFileName(mapping.Filename) + "+");
            line.Append("0x").Append(location.Address.ToString("x", CultureInfo.InvariantCulture));
            if (kernel) line.Append(KernelSuffix);
        }
    }

    private static void AppendFrame(StringBuilder line, string name)
    {
        foreach (var c in name) line.Append(c switch { ';' => ':', '\n' or '\r' => ' ', _ => c });
    }

    /// <summary>The executable name, else <c>pid N</c>, else <c>unknown</c>.</summary>
    private static string ProcessName(Resource? resource)
    {
        AnyValue? pid = null;
        foreach (var attribute in resource?.Attributes ?? [])
        {
            if (attribute.Key == SemanticConventions.ProcessExecutableName && attribute.Value is { Kind: AnyValueKind.String, StringValue.Length: > 0 } name) return name.StringValue;
            if (attribute.Key == SemanticConventions.ProcessPid) pid = attribute.Value;
        }
        return pid is null ? "unknown" : "pid " + pid;
    }

    private static bool IsKernel(Location location)
    {
        foreach (var attribute in location.Attributes)
        {
            if (attribute.Key == SemanticConventions.FrameType && attribute.Value is { Kind: AnyValueKind.String, StringValue: SemanticConventions.FrameTypeKernel }) return true;
        }
        return false;
    }
}
