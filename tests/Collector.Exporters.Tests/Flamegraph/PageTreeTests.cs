using System.Text.RegularExpressions;
using Collector.TestKit;

namespace Collector.Exporters.Tests.Flamegraph;

/// <summary>
/// The flame graph page's data model (exporters/Flamegraph/Page/tree.js: merging, filters, comparison, cut to what
/// can be drawn) under node's own test runner, with Page/tree.test.cjs beside this file. How the page looks and how
/// fast it draws are the browser tests in Collector.Host.Tests.
/// </summary>
public sealed partial class PageTreeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_page_tree_passes_its_node_tests()
    {
        ExternalTools.Require("node", "nodejs");
        var tests = Path.Combine(ExternalTools.RepositoryRoot, "tests", "Collector.Exporters.Tests", "Flamegraph", "Page", "tree.test.cjs");

        var (exitCode, text, error) = await ExternalTools.RunAsync("node", ["--test", "--test-reporter=tap", tests]);

        output.WriteLine(text);
        output.WriteLine(error);
        Assert.True(exitCode == 0, $"node --test failed ({exitCode}): {text} {error}");
        var passed = Passed().Match(text);
        Assert.True(passed.Success && int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 6, "node ran fewer tests than tree.test.cjs holds");
        Assert.Contains("# fail 0", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex Passed();
}
