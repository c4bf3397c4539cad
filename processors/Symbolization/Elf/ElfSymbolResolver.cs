using System.Globalization;
using Collector.Core.Model;
using Collector.ProcMaps;
using Collector.Processors.Caching;
using Collector.Processors.Elf;

namespace Collector.Processors.Symbolization.Elf;

/// <summary>
/// Names frames in files from ELF symbol tables. A mapping's file is identified by its build id (GNU, else
/// htlhash), or for a mapping without one by file identity (path, size, modification time). The file is read
/// from the first source that has it: the open file pid_lifecycle put in the batch, the mapping's path when the
/// file there has the same build id, the separate debug file with that build id. A binary without
/// <c>.symtab</c> takes its symbols from its debug file (by build id or <c>.gnu_debuglink</c>) when there is one.
/// <para>Tables are cached under the shared policy. A file that is not ELF is remembered as such for as long as
/// it keeps being asked for, so it is not parsed again every batch; a file that could not be found or read is
/// looked for again at most once per <see cref="SymbolizerEnvironment.RereadInterval"/> (it may arrive with a
/// later batch), or at once when a frame brings a source not yet tried (a path or a held file: under process churn
/// the first frames of a new executable often carry only the kernel's build id).</para>
/// </summary>
internal sealed class ElfSymbolResolver : IDisposable
{
    private readonly SymbolizerEnvironment _environment;
    private readonly SymbolizerTelemetry _telemetry;
    private readonly SlidingCache<string, ElfSymbols> _files;
    private readonly DebugFileLocator _debugFiles;

    public ElfSymbolResolver(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry)
    {
        _environment = environment;
        _telemetry = telemetry;
        _files = new SlidingCache<string, ElfSymbols>(policy, StringComparer.Ordinal);
        _debugFiles = new DebugFileLocator(environment.DebugDirectories);
        telemetry.ObserveCache("elf", _files);
    }

    /// <summary>ELF files parsed so far (binaries and debug files).</summary>
    public int Parses { get; private set; }

    public bool TryResolve(Mapping mapping, ulong address, ProfileBatch batch, out Function function, out UnresolvedReason reason)
    {
        function = null!;
        if (address < mapping.MemoryStart)
        {
            reason = UnresolvedReason.NoSymbol;
            return false;
        }
        var buildId = ExecutableFile.KeyOf(mapping);
        // Build ids are hex and identities start with "file:", so the two kinds of key cannot collide.
        var key = buildId ?? FileIdentity(mapping.Filename);
        if (key is null)
        {
            reason = UnresolvedReason.FileUnavailable;
            return false;
        }
        if (!_files.TryGet(key, out var symbols))
        {
            symbols = Load(mapping, buildId, batch, earlier: null);
            _files.Set(key, symbols);
        }
        else if (symbols.MayRecover)
        {
            if (_environment.Time.GetElapsedTime(symbols.CheckedAt) >= _environment.RereadInterval)
            {
                symbols = Load(mapping, buildId, batch, earlier: null);
                _files.Set(key, symbols);
            }
            else if (symbols.Tried.Lacks(mapping.Filename, HeldPath(buildId, batch)))
            {
                symbols = Load(mapping, buildId, batch, earlier: symbols);
                _files.Set(key, symbols);
            }
        }
        if (symbols.Failure is { } failure)
        {
            reason = failure;
            return false;
        }
        reason = UnresolvedReason.NoSymbol;
        return symbols.TryFind(address - mapping.MemoryStart + mapping.FileOffset, out function);
    }

    /// <summary>The cache, for tests and telemetry.</summary>
    internal SlidingCache<string, ElfSymbols> Cache => _files;

    public void Dispose() => _files.Dispose();

    /// <param name="earlier">A failed look-up within the retry interval whose sources this one adds to.</param>
    private ElfSymbols Load(Mapping mapping, string? buildId, ProfileBatch batch, ElfSymbols? earlier)
    {
        var now = _environment.Time.GetTimestamp();
        // Within the interval the first look-up's time stays, so new sources never postpone the next retry.
        var since = earlier?.CheckedAt ?? now;
        var tried = TriedSources.Of(mapping.Filename, HeldPath(buildId, batch), earlier?.Tried);
        string path = mapping.Filename;
        try
        {
            using var binary = OpenBinary(mapping, buildId, batch, out path);
            if (binary is null) return ElfSymbols.Failed(UnresolvedReason.FileUnavailable, mayRecover: true, since, tried);
            return ElfSymbols.Of(binary.LoadSegments, Symbols(binary, path), now);
        }
        catch (ElfFormatException error)
        {
            _telemetry.ReadFailed("elf_invalid", path, error.Message);
            return ElfSymbols.Failed(UnresolvedReason.FileUnreadable, mayRecover: false, now);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _telemetry.ReadFailed("elf_unreadable", path, error.Message);
            return ElfSymbols.Failed(UnresolvedReason.FileUnreadable, mayRecover: true, since, tried);
        }
    }

    /// <summary>The path of the file pid_lifecycle holds open for this build id in the batch, if any.</summary>
    private static string? HeldPath(string? buildId, ProfileBatch batch) =>
        buildId is not null && batch.Executables.TryGetValue(buildId, out var executable) ? executable.Path : null;

    /// <summary>The mapping's file from the first source that has it (see the class comment), or null.</summary>
    /// <remarks>
    /// The binary itself comes first even when a debug file exists: a debug file made by <c>objcopy
    /// --only-keep-debug</c> keeps the program headers' addresses but not their file offsets, so only the binary
    /// can turn a frame's file offset into an address. Its symbols still come from the debug file when it was
    /// stripped (<see cref="Symbols"/>). A debug file alone serves when the binary cannot be had at all.
    /// </remarks>
    private ElfFile? OpenBinary(Mapping mapping, string? buildId, ProfileBatch batch, out string path)
    {
        path = mapping.Filename;
        if (buildId is not null && batch.Executables.TryGetValue(buildId, out var executable))
        {
            using var handle = executable.Open();
            if (handle is not null)
            {
                path = executable.Path;
                return Parse(() => ElfFile.Open(handle, executable.Path));
            }
        }
        var gnuBuildId = GnuBuildId(mapping);
        if (OpenByPath(mapping, buildId, gnuBuildId) is { } file) return file;
        if (gnuBuildId is not null && _debugFiles.FindByBuildId(gnuBuildId) is { } debugFile)
        {
            path = debugFile;
            return Parse(() => ElfFile.Open(debugFile));
        }
        return null;
    }

    /// <summary>The file at the mapping's path when it is still the file that was mapped (same build id), else null.</summary>
    private ElfFile? OpenByPath(Mapping mapping, string? buildId, byte[]? gnuBuildId)
    {
        if (mapping.Filename.Length == 0 || !mapping.Filename.StartsWith('/') || !File.Exists(mapping.Filename)) return null;
        if (buildId is not null && gnuBuildId is null)
        {
            // An htlhash: the file at the path must hash the same, or it is another file by now.
            using var handle = File.OpenHandle(mapping.Filename, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (!string.Equals(Htlhash.Compute(handle), buildId, StringComparison.OrdinalIgnoreCase)) return null;
        }
        var file = Parse(() => ElfFile.Open(mapping.Filename));
        if (gnuBuildId is not null && !file.GnuBuildId.SequenceEqual(gnuBuildId))
        {
            file.Dispose();
            return null;
        }
        return file;
    }

    /// <summary>The binary's symbols, or its debug file's when the binary was stripped of <c>.symtab</c> and a debug file exists.</summary>
    private SymbolTable Symbols(ElfFile binary, string path)
    {
        if (!binary.HasSymtab)
        {
            string? debugPath = null;
            try
            {
                debugPath = _debugFiles.FindFor(path, binary);
                if (debugPath is not null)
                {
                    using var debug = Parse(() => ElfFile.Open(debugPath));
                    if (debug.HasSymtab) return debug.ReadSymbols();
                }
            }
            catch (Exception error) when (error is ElfFormatException or IOException or UnauthorizedAccessException)
            {
                // The binary's own .dynsym still names its exported functions.
                _telemetry.ReadFailed("debug_file_unreadable", debugPath ?? path, error.Message);
            }
        }
        return binary.ReadSymbols();
    }

    private ElfFile Parse(Func<ElfFile> open)
    {
        Parses++;
        return open();
    }

    private static byte[]? GnuBuildId(Mapping mapping)
    {
        foreach (var attribute in mapping.Attributes)
        {
            if (attribute.Key != SemanticConventions.BuildIdGnu || attribute.Value is not { Kind: AnyValueKind.String } value) continue;
            var hex = value.StringValue;
            if (hex.Length < 2 || hex.Length % 2 != 0) return null;
            try
            {
                return Convert.FromHexString(hex);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// A key for a file without a build id: path, size and modification time, so a replaced file is a new entry.
    /// (No inode: the base library does not expose it, and native calls live in bpf/ only.)
    /// </summary>
    private static string? FileIdentity(string path)
    {
        if (path.Length == 0 || !path.StartsWith('/')) return null;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists) return null;
            return string.Create(CultureInfo.InvariantCulture, $"file:{file.Length}:{file.LastWriteTimeUtc.Ticks}:{path}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
