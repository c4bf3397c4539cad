using Collector.Bpf.Native;

namespace Collector.Bpf;

/// <summary>
/// A BPF, perf or kernel-feature operation failed. The message says what was attempted, libbpf's text for the
/// error and, where the cause is known, which capability or kernel feature is missing.
/// </summary>
public sealed class BpfException : Exception
{
    public BpfException(string message, int errno) : base(message)
    {
        Errno = errno;
    }

    public BpfException(string message) : base(message)
    {
    }

    public BpfException(string message, Exception inner) : base(message, inner)
    {
    }

    public BpfException()
    {
    }

    /// <summary>The positive errno of the failed call; 0 when the failure was found without one (a pre-flight check).</summary>
    public int Errno { get; }

    /// <summary>libbpf's description of <see cref="Errno"/>, or empty.</summary>
    public string LibbpfMessage => Errno == 0 ? "" : LibbpfErrors.Describe(Errno);

    /// <summary>"<paramref name="what"/> failed: &lt;libbpf text&gt; (errno N)[. hint]".</summary>
    internal static BpfException FromErrno(string what, int errno, string? hint = null)
    {
        errno = Math.Abs(errno);
        var text = $"{what} failed: {LibbpfErrors.Describe(errno)} (errno {errno})";
        hint ??= ErrnoHints.For(errno);
        return new BpfException(hint is null ? text : $"{text}. {hint}", errno);
    }
}
