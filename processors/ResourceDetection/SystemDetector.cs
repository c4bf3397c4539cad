using System.Runtime.InteropServices;
using Collector.Core.Model;

namespace Collector.Processors.ResourceDetection;

/// <summary>The <c>system</c> detector: <c>host.name</c>, <c>os.type</c> and <c>host.arch</c> as the semantic conventions spell them.</summary>
internal static class SystemDetector
{
    public static List<KeyValue> Detect(DetectionSources sources)
    {
        var attributes = new List<KeyValue>(3);
        var hostName = sources.HostName();
        if (hostName.Length > 0) attributes.Add(KeyValue.Of("host.name", hostName));
        attributes.Add(KeyValue.Of("os.type", sources.OsType));
        if (HostArch(sources.Architecture) is { } arch) attributes.Add(KeyValue.Of("host.arch", arch));
        return attributes;
    }

    /// <summary>The semantic conventions' <c>host.arch</c> value, or null for an architecture they do not name.</summary>
    internal static string? HostArch(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm or Architecture.Armv6 => "arm32",
        Architecture.X86 => "x86",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64",
        _ => null,
    };
}
