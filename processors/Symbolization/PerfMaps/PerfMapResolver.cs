using System.Globalization;
using Collector.Core.Model;
using Collector.Processors.Caching;

namespace Collector.Processors.Symbolization.PerfMaps;

/// <summary>
/// Names JIT frames from the perf map of their process. A process's map is found at
/// <c>/tmp/perf-&lt;pid&gt;.map</c>, or for a process in a container inside its own root, under the pid it has in
/// its namespace. The runtime keeps appending as it compiles, so an address that misses re-reads the map,
/// at most once per <see cref="SymbolizerEnvironment.RereadInterval"/> and only when the file changed (size or
/// modification time). Maps are cached per pid under the shared cache policy.
/// </summary>
internal sealed class PerfMapResolver : IDisposable
{
    private readonly SymbolizerEnvironment _environment;
    private readonly SymbolizerTelemetry _telemetry;
    private readonly SlidingCache<int, ProcessPerfMap> _maps;

    public PerfMapResolver(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry)
    {
        _environment = environment;
        _telemetry = telemetry;
        _maps = new SlidingCache<int, ProcessPerfMap>(policy);
        telemetry.ObserveCache("perf_map", _maps);
    }

    /// <summary>Parses of perf map files so far (first reads and re-reads).</summary>
    public int Reads { get; private set; }

    public bool TryResolve(int pid, ulong address, out Function function)
    {
        if (!_maps.TryGet(pid, out var map))
        {
            map = new ProcessPerfMap();
            Refresh(pid, map);
            _maps.Set(pid, map);
        }
        if (map.Table is { } table && table.TryFind(address, out function)) return true;
        if (_environment.Time.GetElapsedTime(map.LastChecked) >= _environment.RereadInterval &&
            Refresh(pid, map) && map.Table!.TryFind(address, out function))
        {
            return true;
        }
        function = null!;
        return false;
    }

    /// <summary>The cache, for tests and telemetry.</summary>
    internal SlidingCache<int, ProcessPerfMap> Cache => _maps;

    public void Dispose() => _maps.Dispose();

    /// <summary>Looks for the map file and parses it when it differs from what was read; true when a new table was read.</summary>
    private bool Refresh(int pid, ProcessPerfMap map)
    {
        map.LastChecked = _environment.Time.GetTimestamp();
        var file = Locate(pid);
        if (file is null) return false;
        if (map.Table is not null && file.FullName == map.Path && file.Length == map.Length && file.LastWriteTimeUtc == map.LastWrite) return false;
        try
        {
            using var reader = new StreamReader(file.FullName);
            map.Table = PerfMapParser.Parse(reader, out var malformed);
            // The runtime may be mid-line when we read; only more than that one line is worth reporting.
            if (malformed > 1) _telemetry.ReadFailed("perf_map_malformed_lines", file.FullName, $"{malformed} malformed lines skipped", malformed);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _telemetry.ReadFailed("perf_map_unreadable", file.FullName, error.Message);
            return false;
        }
        map.Path = file.FullName;
        map.Length = file.Length;
        map.LastWrite = file.LastWriteTimeUtc;
        Reads++;
        return true;
    }

    private FileInfo? Locate(int pid)
    {
        var onHost = new FileInfo(Path.Combine(_environment.PerfMapDirectory, $"perf-{pid.ToString(CultureInfo.InvariantCulture)}.map"));
        if (onHost.Exists) return onHost;
        var namespacePid = NamespacePid(pid);
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

    /// <summary>The pid the process has in its own pid namespace (last field of <c>NSpid:</c> in its status), which names its perf map there.</summary>
    private int NamespacePid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(_environment.ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "status")))
            {
                if (!line.StartsWith("NSpid:", StringComparison.Ordinal)) continue;
                var fields = line.AsSpan("NSpid:".Length).Trim();
                var last = fields.LastIndexOfAny(' ', '\t');
                return int.TryParse(fields[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var inner) ? inner : pid;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The process is gone or hidden: its map, if any, is under its host pid.
        }
        return pid;
    }

    internal sealed class ProcessPerfMap
    {
        public PerfMapTable? Table { get; set; }

        public string? Path { get; set; }

        public long Length { get; set; }

        public DateTime LastWrite { get; set; }

        public long LastChecked { get; set; }
    }
}
