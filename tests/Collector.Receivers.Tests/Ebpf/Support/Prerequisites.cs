using Collector.Bpf;
using Xunit.Abstractions;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>
/// Whether a test needing the kernel's BPF support or an external tool can run here. When it cannot, the test
/// writes the reason and returns (a visible skip), except under CI=true, where it fails.
/// </summary>
internal static class Prerequisites
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool Bpf(ITestOutputHelper output)
    {
        try
        {
            KernelRequirements.Check();
            return true;
        }
        catch (BpfException error)
        {
            return Report(output, error.Message);
        }
    }

    public static bool Tools(ITestOutputHelper output, params string[] tools)
    {
        var absent = tools.Where(tool => Which(tool) is null).ToList();
        return absent.Count == 0 || Report(output, $"missing tools: {string.Join(", ", absent)} (see docs/ebpf.md for the Debian packages)");
    }

    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static bool Report(ITestOutputHelper output, string missing)
    {
        if (InCi)
        {
            throw new InvalidOperationException($"CI=true but the environment cannot run this test: {missing}");
        }
        output.WriteLine($"SKIPPED: {missing}");
        return false;
    }
}
