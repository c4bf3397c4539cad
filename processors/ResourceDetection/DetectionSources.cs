using System.Net;
using System.Runtime.InteropServices;

namespace Collector.Processors.ResourceDetection;

/// <summary>Where the detectors read the machine, so tests can supply their own environment and host.</summary>
internal sealed record DetectionSources(Func<string, string?> EnvironmentVariable, Func<string> HostName, Architecture Architecture, string OsType)
{
    /// <summary>
    /// This process's environment and host. The host name is the kernel's (<c>gethostname</c>, the Collector's
    /// <c>os</c> source), without a DNS lookup that could stall start-up.
    /// </summary>
    public static DetectionSources Machine { get; } = new(Environment.GetEnvironmentVariable, Dns.GetHostName, RuntimeInformation.OSArchitecture, CurrentOsType());

    /// <summary>The <c>os.type</c> value of the semantic conventions.</summary>
    private static string CurrentOsType() =>
        OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "darwin"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : RuntimeInformation.OSDescription.ToLowerInvariant();
}
