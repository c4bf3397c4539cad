namespace Collector.Bpf;

/// <summary>The compiled profiler.bpf.o, embedded in this assembly (see bpf/Makefile and docs/ebpf.md).</summary>
public static class ProfilerObject
{
    public const string ResourceName = "profiler.bpf.o";

    public static byte[] Load()
    {
        using var stream = typeof(ProfilerObject).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded {ResourceName}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
