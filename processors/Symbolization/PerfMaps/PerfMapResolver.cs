using System.Globalization;
using Collector.Core.Model;
using Collector.Processors.Caching;
using Collector.Processors.Symbolization.Runtimes;

namespace Collector.Processors.Symbolization.PerfMaps;

/// <summary>
/// Names JIT frames from the perf map of their process. A process's map is found at
/// <c>/tmp/perf-&lt;pid&gt;.map</c>, or for a process in a container inside its own root, under the pid it has in
/// its namespace. The runtime keeps appending as it compiles (tiered recompilation, OSR, late JIT), so an
/// address that misses reads what was appended since the last read, in the same batch, before the frame is given
/// up: a method that stays hot is named from the first batch after its code was listed. At most one such check
/// per process per batch (a size check; bytes are read only when the file grew), so addresses the map never
/// lists (stubs) cost nothing more. Maps are cached per pid under the shared cache policy.
/// </summary>
internal sealed class PerfMapResolver : IDisposable
{
    private readonly SymbolizerEnvironment _environment;
    private readonly SymbolizerTelemetry _telemetry;
    private readonly SlidingCache<int, ProcessPerfMap> _maps;
    private long _batch;

    public PerfMapResolver(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry)
    {
        _environment = environment;
        _telemetry = telemetry;
        _maps = new SlidingCache<int, ProcessPerfMap>(policy);
        telemetry.ObserveCache("perf_map", _maps);
    }

    /// <summary>Reads of perf map files so far (first reads and reads of appended lines).</summary>
    public int Reads { get; private set; }

    /// <summary>A new batch: each process's map may be checked for appended lines once more.</summary>
    public void BeginBatch() => _batch++;

    public bool TryResolve(int pid, ulong address, out Function function)
    {
        if (!_maps.TryGet(pid, out var map))
        {
            map = new ProcessPerfMap();
            _maps.Set(pid, map);
        }
        if (map.Follower.Table.TryFind(address, out function)) return true;
        if (map.CheckedInBatch != _batch)
        {
            map.CheckedInBatch = _batch;
            if (Refresh(pid, map) && map.Follower.Table.TryFind(address, out function)) return true;
        }
        function = null!;
        return false;
    }

    /// <summary>Like <see cref="TryResolve"/>, but looks at the file again even when this batch did already (the runtime was just asked to write it).</summary>
    public bool TryResolveNow(int pid, ulong address, out Function function)
    {
        if (_maps.TryGet(pid, out var map)) map.CheckedInBatch = -1;
        return TryResolve(pid, address, out function);
    }

    /// <summary>Drops what was read of a process's map: its runtime rewrote it rather than appending.</summary>
    public void Forget(int pid) => _maps.Remove(pid);

    /// <summary>The cache, for tests and telemetry.</summary>
    internal SlidingCache<int, ProcessPerfMap> Cache => _maps;

    public void Dispose() => _maps.Dispose();

    /// <summary>Reads what the map gained since the last read; true when something was read.</summary>
    private bool Refresh(int pid, ProcessPerfMap map)
    {
        var file = Locate(pid, map);
        if (file is null || !map.Follower.MayHaveNewLines(file.FullName, file.Length)) return false;
        try
        {
            var malformed = map.Follower.Update(file.FullName);
            if (malformed > 0) _telemetry.ReadFailed("perf_map_malformed_lines", file.FullName, $"{malformed} malformed lines skipped", malformed);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _telemetry.ReadFailed("perf_map_unreadable", file.FullName, error.Message);
            return false;
        }
        Reads++;
        return true;
    }

    private FileInfo? Locate(int pid, ProcessPerfMap map)
    {
        var onHost = new FileInfo(Path.Combine(_environment.PerfMapDirectory, $"perf-{pid.ToString(CultureInfo.InvariantCulture)}.map"));
        if (onHost.Exists) return onHost;
        var namespacePid = map.NamespacePid ??= ProcessPaths.NamespacePid(_environment.ProcRoot, pid);
        var inContainer = new FileInfo(Path.Combine(_environment.ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "root", "tmp",
            $"perf-{namespacePid.ToString(CultureInfo.InvariantCulture)}.map"));
        try
        {
            return inContainer.Exists ? inContainer : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal sealed class ProcessPerfMap
    {
        public PerfMapFollower Follower { get; } = new();

        /// <summary>The batch in which the map was last checked for appended lines; -1 before the first.</summary>
        public long CheckedInBatch { get; set; } = -1;

        /// <summary>The pid in the process's own namespace, read once: it names the map inside a container.</summary>
        public int? NamespacePid { get; set; }
    }
}
