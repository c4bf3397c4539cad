using System.Globalization;
using System.Text;
using Collector.Core.Model;

namespace Collector.Exporters.Debug;

/// <summary>How the debug exporter names a frame: the function when symbolized, else where the address lies.</summary>
internal static class FrameNames
{
    private const string FrameTypeKey = "profile.frame.type";

    /// <summary>
    /// The innermost function of a location (its first line; later lines are the callers it was inlined into),
    /// or <c>libc.so.6+0x1234</c> / <c>0x1234</c> when unsymbolized; kernel frames start with <c>[kernel] </c>.
    /// </summary>
    public static string Leaf(Location location)
    {
        var name = new StringBuilder();
        if (IsKernel(location)) name.Append("[kernel] ");
        var function = location.Lines.Length > 0 ? location.Lines[0].Function : null;
        var functionName = function?.ToString();
        if (!string.IsNullOrEmpty(functionName))
        {
            name.Append(functionName);
        }
        else
        {
            if (location.Mapping is { Filename.Length: > 0 } mapping) name.Append(Path.GetFileName(mapping.Filename)).Append('+');
            AppendAddress(name, location.Address);
        }
        return name.ToString();
    }

    public static bool IsKernel(Location location)
    {
        foreach (var attribute in location.Attributes)
        {
            if (attribute.Key == FrameTypeKey && attribute.Value is { Kind: AnyValueKind.String, StringValue: "kernel" }) return true;
        }
        return false;
    }

    public static StringBuilder AppendAddress(StringBuilder builder, ulong address) =>
        builder.Append("0x").Append(address.ToString("x", CultureInfo.InvariantCulture));
}
