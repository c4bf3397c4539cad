using System.Runtime.CompilerServices;

namespace Collector.Otlp;

/// <summary>
/// The path of a field holding a table index, written as an interpolated string that is only formatted when the
/// index is out of range. Validation checks every index of every request; spelling out every path up front cost
/// as much as parsing the request.
/// </summary>
[InterpolatedStringHandler]
internal ref struct OutOfRangePath
{
    private DefaultInterpolatedStringHandler _text;

    /// <param name="index">The index being checked.</param>
    /// <param name="entries">Slots of the table it points into (at least one: an empty table still has its zero value).</param>
    /// <param name="isOutOfRange">Whether the path is needed, and so formatted.</param>
    public OutOfRangePath(int literalLength, int formattedCount, int index, bool[] entries, out bool isOutOfRange)
    {
        isOutOfRange = (uint)index >= (uint)entries.Length;
        _text = isOutOfRange ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public string ToStringAndClear() => _text.ToStringAndClear();
}
