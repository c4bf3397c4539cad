namespace Collector.Core.Model;

/// <summary>
/// Where a sample's Python frames go among its user frames: each native frame inside the interpreter's evaluation
/// loop is replaced by the Python frames that call runs (up to and including the next entry frame), so native code
/// above and below stays in place and a C extension called from Python shows above its Python caller.
/// <para>Placement needs as many evaluation-loop frames in the native stack as there are eval calls in the Python
/// chain. When they differ (a native stack cut short, a sample taken while a call was being set up, a Python chain
/// with no entry frame at its end) nothing is placed: the caller keeps the native frames and counts the mismatch,
/// because a guess could put frames in the wrong order.</para>
/// </summary>
public static class CPythonPlacement
{
    /// <summary>One entry of a placed user stack: user frame <see cref="Index"/>, or Python frame <see cref="Index"/>.</summary>
    public readonly record struct PlacedFrame(bool IsPython, int Index);

    /// <summary>Entries a caller may place on its stack (the kernel records at most 127 user and 96 Python frames).</summary>
    public const int StackPlaced = 256;

    /// <summary>The most entries <see cref="Place"/> writes for these inputs.</summary>
    public static int MaxPlaced(in RawSample sample) => sample.UserFrames.Length + sample.CPythonFrames.Length;

    /// <summary>Whether the sample has Python frames that fit its native stack.</summary>
    public static bool Fits(in RawSample sample) =>
        !sample.CPythonFrames.IsEmpty && Fits(sample.UserFrames.Span, sample.CPythonFrames.Span, sample.CPythonEvalLoop);

    /// <summary>Whether <paramref name="python"/> fits <paramref name="user"/>: one eval-loop frame per eval call.</summary>
    public static bool Fits(ReadOnlySpan<ulong> user, ReadOnlySpan<CPythonFrame> python, CodeRange evalLoop)
    {
        if (python.IsEmpty || evalLoop.IsEmpty || !python[^1].IsEntry) return false;
        var calls = 0;
        foreach (var frame in python)
        {
            if (frame.IsEntry) calls++;
        }
        var loops = 0;
        for (var i = 0; i < user.Length; i++)
        {
            if (InEvalLoop(user, i, evalLoop)) loops++;
        }
        return loops == calls;
    }

    /// <summary>
    /// Writes the placed user stack, leaf first, to <paramref name="placed"/> (at least <see cref="MaxPlaced"/> long)
    /// and returns its length; -1 when the frames do not fit (see the class comment), and nothing is written.
    /// </summary>
    public static int Place(ReadOnlySpan<ulong> user, ReadOnlySpan<CPythonFrame> python, CodeRange evalLoop, Span<PlacedFrame> placed)
    {
        if (!Fits(user, python, evalLoop)) return -1;
        var count = 0;
        var next = 0;
        for (var i = 0; i < user.Length; i++)
        {
            if (!InEvalLoop(user, i, evalLoop))
            {
                placed[count++] = new PlacedFrame(false, i);
                continue;
            }
            while (next < python.Length)
            {
                var entry = python[next].IsEntry;
                placed[count++] = new PlacedFrame(true, next++);
                if (entry) break;
            }
        }
        return count;
    }

    /// <summary>The leaf is where execution was; callers are return addresses, which may point past the call's function.</summary>
    private static bool InEvalLoop(ReadOnlySpan<ulong> user, int index, CodeRange evalLoop) =>
        evalLoop.Contains(index == 0 ? user[0] : user[index] - 1);
}
