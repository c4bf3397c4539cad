namespace Collector.Processors.Symbolization;

/// <summary>
/// Where the symbolizer finds the machine's symbol sources, and its clock: the real paths in production,
/// a temporary directory and a driven clock in tests.
/// </summary>
internal sealed record SymbolizerEnvironment
{
    /// <summary>How often a source may be read again because an address missed in it (kallsyms, a perf map).</summary>
    public static readonly TimeSpan DefaultRereadInterval = TimeSpan.FromSeconds(10);

    public string KallsymsPath { get; init; } = "/proc/kallsyms";

    /// <summary>Where <c>/proc/&lt;pid&gt;/root</c> and <c>/proc/&lt;pid&gt;/status</c> are found.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>The directory runtimes write <c>perf-&lt;pid&gt;.map</c> to, seen from the collector.</summary>
    public string PerfMapDirectory { get; init; } = "/tmp";

    /// <summary>Roots of separate debug files (<c>.build-id/xx/rest.debug</c>).</summary>
    public IReadOnlyList<string> DebugDirectories { get; init; } = ["/usr/lib/debug"];

    public TimeSpan RereadInterval { get; init; } = DefaultRereadInterval;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
