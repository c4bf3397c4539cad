using System.Globalization;

namespace Collector.Unwinding.Tests.Support;

/// <summary>Function addresses from `nm`, to find the rows of a named function.</summary>
internal static class Symbols
{
    public static ulong Address(string path, string name)
    {
        foreach (var line in NativeBuild.Run("nm", path).Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && parts[2] == name) return ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"{name} not in {path}");
    }
}
