using System.Diagnostics;
using Xunit.Abstractions;

namespace Collector.Bpf.Tests.Support;

/// <summary>
/// Decides whether a test that needs the kernel's BPF support or an external tool can run. When it cannot, the
/// test writes the reason and returns (a visible skip), except under CI=true where the environment is promised
/// to have everything and the test fails instead.
/// </summary>
internal static class Prerequisites
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when this thread may load and attach the profiler (capabilities, BTF, ring buffer).</summary>
    public static bool Bpf(ITestOutputHelper output)
    {
        string? missing;
        try
        {
            KernelRequirements.Check();
            missing = null;
        }
        catch (BpfException error)
        {
            missing = error.Message;
        }
        return Report(output, missing);
    }

    /// <summary>True when every tool is on the PATH (they come from the Debian packages docs/ebpf.md lists).</summary>
    public static bool Tools(ITestOutputHelper output, params string[] tools)
    {
        var absent = tools.Where(tool => Which(tool) is null).ToList();
        return Report(output, absent.Count == 0 ? null : $"missing tools: {string.Join(", ", absent)} (see docs/ebpf.md for the Debian packages)");
    }

    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static bool Report(ITestOutputHelper output, string? missing)
    {
        if (missing is null)
        {
            return true;
        }
        if (InCi)
        {
            throw new InvalidOperationException($"CI=true but the environment cannot run this test: {missing}");
        }
        output.WriteLine($"SKIPPED: {missing}");
        return false;
    }
}
