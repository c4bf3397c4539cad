
namespace Collector.TestKit;

/// <summary>
/// <c>go tool pprof</c> from Debian's golang-go: the independent reader of our pprof output. Its parser checks a
/// profile whole (ids, references, value counts) before printing anything, so a zero exit means a valid profile.
/// </summary>
public static class GoPprof
{
    /// <summary>True when go is there; otherwise the test is skipped (or fails under CI=true) and this does not return.</summary>
    public static bool Available(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ExternalTools.Require(ExternalTools.OnPath("go"), "go is not installed (Debian package golang-go)");
        return true;
    }

    /// <summary>Runs <c>go tool pprof</c> with <paramref name="arguments"/>; frames are never symbolized again (ours arrive named).</summary>
    public static Task<string> RunAsync(params string[] arguments) => RunAsIsAsync(["-symbolize=none", .. arguments]);

    /// <summary>
    /// Runs <c>go tool pprof</c> exactly as a user would (no extra flags), keeping what it fetches over HTTP in
    /// <c>PPROF_TMPDIR</c> = <paramref name="fetchDirectory"/> rather than in the home directory.
    /// </summary>
    public static Task<string> RunAsIsAsync(string[] arguments, string? fetchDirectory = null) =>
        CheckedAsync(fetchDirectory is null
            ? ExternalTools.RunAsync("go", ["tool", "pprof", .. arguments])
            : ExternalTools.RunAsync("env", ["PPROF_TMPDIR=" + fetchDirectory, "go", "tool", "pprof", .. arguments]), arguments);

    private static async Task<string> CheckedAsync(Task<(int ExitCode, string Output, string Error)> run, string[] arguments)
    {
        var (exitCode, text, error) = await run;
        Assert.True(exitCode == 0, $"go tool pprof {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        return text;
    }

    /// <summary>
    /// The flat (self) share in percent of each function in <c>-top</c> output, e.g. <c>leaf_hot → 70.1</c>. Lines
    /// read <c>flat flat% sum% cum cum% name</c>; the name is the rest of the line, without pprof's <c>(inline)</c> mark.
    /// </summary>
    public static Dictionary<string, double> FlatShares(string top)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in top.Split('\n'))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 6 || !fields[1].EndsWith('%') || !double.TryParse(fields[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture, out var share)) continue;
            // "helper (inline)": pprof marks a function inlined into its caller; the name is the same function.
            var name = fields[5].EndsWith(" (inline)", StringComparison.Ordinal) ? fields[5][..^" (inline)".Length] : fields[5];
            shares[name] = shares.GetValueOrDefault(name) + share;
        }
        return shares;
    }
}
