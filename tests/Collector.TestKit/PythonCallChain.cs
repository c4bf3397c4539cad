namespace Collector.TestKit;

/// <summary>
/// The Python call chain the Python tests profile: hot ← middle ← outer, nearly every sample in hot's loop;
/// <c>outer(deadline)</c> returns once <c>time.time()</c> passes the deadline (the script imports <c>time</c>).
/// </summary>
public static class PythonCallChain
{
    public const string Functions = """
        def hot(n):
            total = 0
            for i in range(n):
                total += i * i
            return total

        def middle(deadline):
            while time.time() < deadline:
                hot(20000)

        def outer(deadline):
            middle(deadline)
        """;

    /// <summary>The 1-based lines of <paramref name="function"/>'s <c>def</c> and of its body's first and last line in <paramref name="script"/>.</summary>
    public static (int Def, int FirstBody, int LastBody) Lines(string script, string function)
    {
        var lines = script.Split('\n');
        var def = Array.FindIndex(lines, line => line.StartsWith($"def {function}(", StringComparison.Ordinal));
        if (def < 0) throw new ArgumentException($"no def {function} in the script", nameof(function));
        var last = def + 1;
        while (last + 1 < lines.Length && lines[last + 1].StartsWith("    ", StringComparison.Ordinal)) last++;
        return (def + 1, def + 2, last + 1);
    }
}
