using System.Diagnostics;
using Collector.Processors.Symbolization.Demangling;

namespace Collector.Processors.Tests.Symbolization.Demangling;

/// <summary>
/// Hostile and broken names: every mutation of a real mangled name either demangles or returns false, never
/// throws, never runs away. The time bound is a generous guard against exponential behaviour, not a benchmark.
/// </summary>
public sealed class DemanglerRobustnessTests(ITestOutputHelper output)
{
    private const string Alphabet = "_0123456789ZNSEIJLXTRrVKPOFAMDCBUlvtsdpabchijmxyzfegnuo$.";

    [Fact]
    public void Ten_thousand_mutated_names_never_throw_and_finish_fast()
    {
        var seeds = SeedNames();
        var random = new Random(20261121);
        var demangled = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            var name = Mutate(seeds[random.Next(seeds.Count)], random);
            if (Demangler.TryDemangle(name, out var text))
            {
                demangled++;
                Assert.True(text.Length <= DemangleBuffer.MaxLength);
            }
        }
        watch.Stop();
        output.WriteLine($"10000 mutated names: {demangled} still demangled, {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("_Z1f", 'P', 100_000, "i")] // deep pointer chain
    [InlineData("_Z1f", 'A', 50_000, "")] // arrays without dimensions end
    [InlineData("_ZN", 'N', 50_000, "E")] // nested names inside nested names
    [InlineData("_Z1fI", 'I', 50_000, "E")] // template arguments inside template arguments
    [InlineData("_RNv", 'N', 50_000, "C3foo3bar")] // Rust v0 nested paths
    [InlineData("_RI", 'I', 50_000, "E")] // Rust v0 generic arguments
    [InlineData("_ZN", '3', 20_000, "E")] // long garbage length prefixes
    public void Deep_or_long_input_is_refused_quickly(string prefix, char repeated, int count, string suffix)
    {
        var name = prefix + new string(repeated, count) + suffix;
        var watch = Stopwatch.StartNew();
        Demangler.TryDemangle(name, out _);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Substitution_bombs_stop_at_the_output_cap()
    {
        // Each level doubles the text: S_ refers to the previous pair, so printing grows as 2^n.
        // Level 0 adds std::pair (candidate 0) and std::pair<int, int> (1); level i adds 2i and 2i + 1.
        var builder = new System.Text.StringBuilder("_Z1fSt4pairIiiE");
        for (var i = 1; i <= 60; i++)
        {
            var previous = $"S{ToBase36(2 * i - 2)}_"; // candidate 2i - 1, the previous level's type
            builder.Append("St4pairI").Append(previous).Append(previous).Append('E');
        }
        var watch = Stopwatch.StartNew();
        var ok = Demangler.TryDemangle(builder.ToString(), out var text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        if (ok) Assert.True(text!.Length <= DemangleBuffer.MaxLength);
        Assert.False(ok, "a name whose output is exponentially long is refused");
    }

    [Fact]
    public void Rust_back_references_cannot_loop()
    {
        // A back reference must point backwards; one that points at its own path recurses until the depth cap.
        Assert.False(Demangler.TryDemangle("_RNvB_3foo", out _));
        Assert.False(Demangler.TryDemangle("_RNvB0_3foo", out _));
        Assert.False(Demangler.TryDemangle("_RINvCs1_3foo3barBz_E", out _));
        Assert.True(Demangler.TryDemangle("_RINvCs1_3foo3barB2_E", out var backwards));
        Assert.Equal("foo[3]::bar::<foo[3]>", backwards);
    }

    private static string ToBase36(int value)
    {
        const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var text = "";
        do
        {
            text = Digits[value % 36] + text;
            value /= 36;
        }
        while (value > 0);
        return text;
    }

    private static List<string> SeedNames()
    {
        var path = Path.Combine(ExternalTools.RepositoryRoot, "tests", "Collector.Processors.Tests", "Symbolization", "Demangling", "demangle-cases.tsv");
        return File.ReadLines(path).Where(line => line.Length > 0).Select(line => line[..line.IndexOf('\t', StringComparison.Ordinal)])
            .Where(name => name.Length > 2).ToList();
    }

    private static string Mutate(string name, Random random)
    {
        var chars = new List<char>(name);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && chars.Count > 2; e++)
        {
            var at = random.Next(2, chars.Count);
            switch (random.Next(5))
            {
                case 0: // truncate
                    chars.RemoveRange(at, chars.Count - at);
                    break;
                case 1: // replace
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 2: // insert
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 3: // delete
                    chars.RemoveAt(at);
                    break;
                default: // duplicate a slice
                    var length = Math.Min(random.Next(1, 12), chars.Count - at);
                    chars.InsertRange(at, chars.GetRange(at, length));
                    break;
            }
        }
        return new string(chars.ToArray());
    }
}
