using System.Globalization;
using Collector.Core.Components;

namespace Collector.Processors.Symbolization;

/// <summary>
/// Options of the <c>symbolization</c> processor. One lifetime governs every cache it keeps (ELF symbol
/// tables, perf maps, kernel symbols): an entry lives that long after its last use, so nothing a running
/// process keeps using is ever forgotten (DESIGN.md lesson 3).
/// </summary>
public sealed class SymbolizationOptions : IComponentOptions
{
    public const int MaxMaxCachedFiles = 100_000;

    /// <summary>How long a cached symbol source survives without being used; every use extends it.</summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most files each cache holds (ELF symbol tables; perf maps, one per process); the least recently used goes first.</summary>
    public int MaxCachedFiles { get; set; } = 512;

    /// <summary>Roots of separate debug files, searched as <c>&lt;root&gt;/.build-id/xx/rest.debug</c> and by <c>.gnu_debuglink</c>.</summary>
    public IReadOnlyList<string> DebugDirectories { get; set; } = ["/usr/lib/debug"];

    /// <summary>.NET 8+: ask each sampled process over its diagnostics IPC to write its perf map (and turn it off again at shutdown).</summary>
    public RuntimePerfMapOptions Dotnet { get; set; } = new();

    /// <summary>HotSpot 17+: ask each sampled JVM over the attach protocol to write its perf map (<c>Compiler.perfmap</c>).</summary>
    public RuntimePerfMapOptions Java { get; set; } = new();

    /// <summary>CPython 3.10–3.13: name <c>cpython</c> frames from the code objects in the process's memory.</summary>
    public PythonOptions Python { get; set; } = new();

    public IEnumerable<OptionsError> Validate()
    {
        if (CacheLifetime < TimeSpan.FromSeconds(1))
        {
            yield return new OptionsError("cache_lifetime", $"must be at least 1s, got {CacheLifetime.ToString("c", CultureInfo.InvariantCulture)}");
        }
        if (MaxCachedFiles is < 1 or > MaxMaxCachedFiles)
        {
            yield return new OptionsError("max_cached_files", $"must be between 1 and {MaxMaxCachedFiles}, got {MaxCachedFiles}");
        }
        for (var i = 0; i < DebugDirectories.Count; i++)
        {
            if (!Path.IsPathRooted(DebugDirectories[i]))
            {
                yield return new OptionsError("debug_directories", $"entry {i} \"{DebugDirectories[i]}\" must be an absolute path");
            }
        }
    }
}

/// <summary>Whether the symbolizer names Python frames (reading code objects with <c>process_vm_readv</c>).</summary>
public sealed class PythonOptions
{
    public bool Enabled { get; set; } = true;
}

/// <summary>Whether the symbolizer asks a runtime to write its perf map, so its JIT frames are named without restarting it.</summary>
public sealed class RuntimePerfMapOptions
{
    public bool EnablePerfMaps { get; set; } = true;
}
