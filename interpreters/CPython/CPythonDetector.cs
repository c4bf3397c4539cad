using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Collector.Interpreters.Elf;
using Collector.ProcMaps;

namespace Collector.Interpreters.CPython;

/// <summary>
/// Finds CPython in a process: the ELF file that defines <c>_PyRuntime</c> (a mapped <c>libpython3.X.so</c>, else the
/// executable itself, as Debian's statically linked <c>/usr/bin/python3.11</c>), its version, its layout and the process
/// addresses of the symbols BPF and the code object reader need. Reads the file through
/// <c>/proc/&lt;pid&gt;/map_files</c> (the very file mapped, also inside a container or after it was replaced on
/// disk), else <c>/proc/&lt;pid&gt;/root/&lt;path&gt;</c>. Safe to call at exec, before the interpreter has initialized:
/// nothing it reads is written at run time.
/// </summary>
public sealed partial class CPythonDetector(IProcessMemory memory, string procRoot = "/proc")
{
    private const string RuntimeSymbol = "_PyRuntime";
    private const string EvalFrameSymbol = "_PyEval_EvalFrameDefault";
    private const string CodeTypeSymbol = "PyCode_Type";
    private const string StringTypeSymbol = "PyUnicode_Type";
    private const string BytesTypeSymbol = "PyBytes_Type";
    private const string VersionSymbol = "Py_Version";
    private static readonly HashSet<string> Wanted = [RuntimeSymbol, EvalFrameSymbol, CodeTypeSymbol, StringTypeSymbol, BytesTypeSymbol, VersionSymbol];

    /// <summary>Detects CPython in process <paramref name="pid"/> whose <c>/proc/&lt;pid&gt;/maps</c> lines are <paramref name="maps"/>.</summary>
    public CPythonDetection Detect(int pid, IReadOnlyList<MapsEntry> maps)
    {
        var unreadable = false;
        foreach (var (path, mappings) in Candidates(pid, maps))
        {
            var symbols = DynamicSymbols.TryRead(MapFilesPath(pid, mappings[0]), Wanted)
                ?? DynamicSymbols.TryRead(RootPath(pid, path), Wanted);
            if (symbols is null)
            {
                unreadable = true;
                continue;
            }
            if (symbols.TryGet(RuntimeSymbol, out var runtime)) return Describe(pid, path, mappings, symbols, runtime);
        }
        return CPythonDetection.Failed(unreadable ? CPythonDetectionFailure.MemoryUnreadable : CPythonDetectionFailure.NotPython);
    }

    private CPythonDetection Describe(int pid, string path, List<MapsEntry> mappings, DynamicSymbols symbols, DynamicSymbol runtimeSymbol)
    {
        if (LoadBias(mappings, symbols.LoadSegments) is not { } bias) return CPythonDetection.Failed(CPythonDetectionFailure.MemoryUnreadable);
        if (!symbols.TryGet(EvalFrameSymbol, out var evalFrame) || evalFrame.Size == 0 || !symbols.TryGet(CodeTypeSymbol, out var codeType)
            || !symbols.TryGet(StringTypeSymbol, out var stringType) || !symbols.TryGet(BytesTypeSymbol, out var bytesType))
        {
            return CPythonDetection.Failed(CPythonDetectionFailure.SymbolMissing);
        }

        CPythonVersion version;
        Span<byte> word = stackalloc byte[4];
        if (symbols.TryGet(VersionSymbol, out var versionSymbol))
        {
            // Py_Version (3.11+) is PY_VERSION_HEX in read-only data.
            if (!memory.TryRead(pid, bias + versionSymbol.Value, word)) return CPythonDetection.Failed(CPythonDetectionFailure.MemoryUnreadable);
            version = CPythonVersion.FromHex(BinaryPrimitives.ReadUInt32LittleEndian(word));
        }
        else if (VersionInName(path) is { } named && named.Minor <= 10)
        {
            // Before 3.11 the version is only in strings; the file name (python3.10, libpython3.10.so.1.0) says it.
            version = named;
        }
        else
        {
            return CPythonDetection.Failed(VersionInName(path) is null ? CPythonDetectionFailure.UnsupportedVersion : CPythonDetectionFailure.SymbolMissing);
        }

        var runtime = bias + runtimeSymbol.Value;
        CPythonLayout? layout;
        if (version is { Major: 3, Minor: >= 13 })
        {
            var debugOffsets = new byte[DebugOffsets.Size313];
            if (!memory.TryRead(pid, runtime, debugOffsets)) return CPythonDetection.Failed(CPythonDetectionFailure.MemoryUnreadable);
            if (!DebugOffsets.TryRead(debugOffsets, out layout, out var failure)) return CPythonDetection.Failed(failure);
            if (!layout!.Version.SameMinor(version)) return CPythonDetection.Failed(CPythonDetectionFailure.LayoutCheckFailed);
        }
        else
        {
            layout = CPythonLayouts.ForVersion(version);
            if (layout is null) return CPythonDetection.Failed(CPythonDetectionFailure.UnsupportedVersion);
            layout = layout with { Version = version };
        }

        return CPythonDetection.Of(new CPythonProcess(layout, path, runtime,
            bias + evalFrame.Value, bias + evalFrame.Value + evalFrame.Size, bias + codeType.Value, bias + stringType.Value, bias + bytesType.Value));
    }

    /// <summary>The files that may define CPython: mapped libpython3.X.so first, then the executable.</summary>
    private IEnumerable<(string Path, List<MapsEntry> Mappings)> Candidates(int pid, IReadOnlyList<MapsEntry> maps)
    {
        var byPath = new Dictionary<string, List<MapsEntry>>(StringComparer.Ordinal);
        foreach (var entry in maps)
        {
            if (entry.Kind != MapsEntryKind.File) continue;
            if (!byPath.TryGetValue(entry.Path, out var list)) byPath[entry.Path] = list = [];
            list.Add(entry);
        }
        foreach (var (path, mappings) in byPath)
        {
            if (Path.GetFileName(path).StartsWith("libpython3.", StringComparison.Ordinal)) yield return (path, mappings);
        }
        var executable = ExecutablePath(pid);
        if (executable is not null && byPath.TryGetValue(executable, out var own)) yield return (executable, own);
    }

    private string? ExecutablePath(int pid)
    {
        try
        {
            var target = new FileInfo(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "exe")).LinkTarget;
            const string deleted = " (deleted)";
            return target is not null && target.EndsWith(deleted, StringComparison.Ordinal) ? target[..^deleted.Length] : target;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string MapFilesPath(int pid, MapsEntry mapping) =>
        Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "map_files", $"{mapping.Start:x}-{mapping.End:x}");

    private string RootPath(int pid, string path) => Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "root") + path;

    /// <summary>
    /// What to add to the file's symbol values to get process addresses: from the lowest mapping of the file and the
    /// PT_LOAD segment holding its file offset (file byte X of segment s lives at bias + s.vaddr + X − s.offset).
    /// </summary>
    private static ulong? LoadBias(List<MapsEntry> mappings, IReadOnlyList<LoadSegment> segments)
    {
        const ulong pageMask = ~0xfffUL;
        foreach (var mapping in mappings.OrderBy(mapping => mapping.Start))
        {
            foreach (var segment in segments)
            {
                if (mapping.Offset >= (segment.FileOffset & pageMask) && mapping.Offset < segment.FileOffset + Math.Max(segment.FileSize, 1))
                {
                    return mapping.Start - mapping.Offset + segment.FileOffset - segment.VirtualAddress;
                }
            }
        }
        return null;
    }

    private static CPythonVersion? VersionInName(string path)
    {
        var match = VersionName().Match(Path.GetFileName(path));
        return match.Success ? new CPythonVersion(3, int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture)) : null;
    }

    [GeneratedRegex(@"python3\.(\d{1,2})(?:\D|$)")]
    private static partial Regex VersionName();
}
