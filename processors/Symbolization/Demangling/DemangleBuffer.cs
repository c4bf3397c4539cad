using System.Buffers;

namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// The char buffer a demangler writes into: rented from the shared pool, capped in length so that an adversarial
/// name (whose substitutions can expand exponentially) stops with <see cref="Overflowed"/> instead of growing
/// without bound. The only allocation a successful demangle makes is the final <see cref="ToString"/>.
/// </summary>
internal sealed class DemangleBuffer
{
    /// <summary>No real symbol demangles to more than this; longer output means hostile or broken input.</summary>
    public const int MaxLength = 1 << 16;

    private char[] chars = ArrayPool<char>.Shared.Rent(256);

    public int Length { get; private set; }

    public bool Overflowed { get; private set; }

    public char Last => Length == 0 ? '\0' : chars[Length - 1];

    public void Reset()
    {
        Length = 0;
        Overflowed = false;
    }

    /// <summary>Gives a buffer that an unusually long name made large back to the pool.</summary>
    public void Shrink()
    {
        if (chars.Length <= 4096) return;
        ArrayPool<char>.Shared.Return(chars);
        chars = ArrayPool<char>.Shared.Rent(256);
        Length = 0;
    }

    /// <summary>Cuts the output back to <paramref name="length"/> (undoing what was written after it).</summary>
    public void Truncate(int length) => Length = Math.Min(Length, length);

    public void Append(char c)
    {
        if (!Reserve(1)) return;
        chars[Length++] = c;
    }

    public void Append(string text) => Append(text.AsSpan());

    public void Append(ReadOnlySpan<char> text)
    {
        if (!Reserve(text.Length)) return;
        text.CopyTo(chars.AsSpan(Length));
        Length += text.Length;
    }

    public void Append(long value)
    {
        Span<char> digits = stackalloc char[24];
        if (value.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            Append(digits[..written]);
        }
    }

    public override string ToString() => new(chars, 0, Length);

    private bool Reserve(int count)
    {
        if (Overflowed) return false;
        if (Length + count > MaxLength)
        {
            Overflowed = true;
            return false;
        }
        if (Length + count > chars.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(chars.Length * 2, Length + count));
            chars.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(chars);
            chars = bigger;
        }
        return true;
    }
}
