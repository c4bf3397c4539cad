using System.Text.Json;
using Collector.TestKit;

namespace Collector.Host.Tests.Support;

/// <summary>
/// Debian's chromium, driven headless by puppeteer-core (pinned in tests/Collector.Host.Tests/Browser/package.json)
/// through Browser/check-flamegraph.mjs: opens the flame graph page, optionally zooms into and searches for a function,
/// saves a screenshot, and reports what it measured.
/// </summary>
public static class FlamegraphBrowser
{
    private static readonly string Directory = Path.Combine(RepoPaths.Root, "tests", "Collector.Host.Tests", "Browser");

    /// <summary>True when node, npm and chromium are there; otherwise the test is skipped (fails under CI=true) and this does not return.</summary>
    public static bool Available(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ExternalTools.Require("node", "nodejs");
        ExternalTools.Require("npm", "npm");
        ExternalTools.Require("chromium", "chromium");
        return true;
    }

    /// <summary>Runs the check; <paramref name="function"/> null only waits for the first drawing.</summary>
    public static async Task<JsonElement> CheckAsync(string url, string screenshot, string? function, ITestOutputHelper output)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", "puppeteer-core", "package.json")))
        {
            var (code, _, error) = await ExternalTools.RunAsync("npm", ["ci", "--prefix", Directory, "--no-audit", "--no-fund", "--ignore-scripts"]);
            Assert.True(code == 0, $"npm ci for puppeteer-core failed: {error}");
        }
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var (exitCode, text, log) = await ExternalTools.RunAsync("node", [Path.Combine(Directory, "check-flamegraph.mjs"), url, screenshot, function ?? ""]);
        output.WriteLine(text);
        output.WriteLine(log.Length > 3000 ? log[^3000..] : log);
        Assert.True(exitCode == 0, $"the page check failed ({exitCode}): {text} {log}");
        return JsonDocument.Parse(text).RootElement;
    }
}
