using Collector.Core.Model;
using Collector.Processors.Caching;

namespace Collector.Processors.Symbolization.Kernel;

/// <summary>
/// Names kernel frames from kallsyms. The table is read when first needed, kept under the shared cache
/// policy (so a host with no kernel frames for a whole lifetime gives its memory back), and read again when
/// an address falls in no known code, at most once per <see cref="SymbolizerEnvironment.RereadInterval"/>:
/// modules loaded after the first read are named too (DESIGN.md lesson 1).
/// </summary>
internal sealed class KernelSymbolResolver : IDisposable
{
    private readonly SymbolizerEnvironment _environment;
    private readonly SymbolizerTelemetry _telemetry;
    private readonly SlidingCache<string, KernelSymbolTable> _table;
    private long? _lastRead;
    private bool _reportedHidden;

    public KernelSymbolResolver(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry)
    {
        _environment = environment;
        _telemetry = telemetry;
        _table = new SlidingCache<string, KernelSymbolTable>(policy.WithMaxEntries(1), StringComparer.Ordinal);
        telemetry.ObserveCache("kallsyms", _table);
    }

    /// <summary>Reads of kallsyms so far (the first and every re-read).</summary>
    public int Reads { get; private set; }

    public bool TryResolve(ulong address, out Function function, out Mapping image, out UnresolvedReason reason)
    {
        var table = CurrentTable();
        if (table is not null && table.TryFind(address, out function, out image))
        {
            reason = default;
            return true;
        }
        // Hidden addresses stay hidden however often we read: only a lifetime without use reads again.
        if (table is not { AddressesHidden: true } && MayReadAgain() && Read() is { } fresh)
        {
            table = fresh;
            if (table.TryFind(address, out function, out image))
            {
                reason = default;
                return true;
            }
        }
        function = null!;
        image = null!;
        reason = table is null || table.AddressesHidden ? UnresolvedReason.KernelSymbolsUnavailable : UnresolvedReason.KernelAddressUnknown;
        return false;
    }

    /// <summary>The cache, for tests and telemetry.</summary>
    internal SlidingCache<string, KernelSymbolTable> Cache => _table;

    public void Dispose() => _table.Dispose();

    private KernelSymbolTable? CurrentTable()
    {
        if (_table.TryGet(_environment.KallsymsPath, out var table)) return table;
        return MayReadAgain() ? Read() : null;
    }

    private bool MayReadAgain() =>
        _lastRead is not { } last || _environment.Time.GetElapsedTime(last) >= _environment.RereadInterval;

    private KernelSymbolTable? Read()
    {
        _lastRead = _environment.Time.GetTimestamp();
        Reads++;
        KernelSymbolTable table;
        int malformed;
        try
        {
            // Unbuffered: the parser reads in large chunks of its own.
            using var file = new FileStream(_environment.KallsymsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            table = KallsymsParser.Parse(file, out malformed);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _telemetry.ReadFailed("kallsyms_unreadable", _environment.KallsymsPath, error.Message);
            return null;
        }
        if (malformed > 0) _telemetry.ReadFailed("kallsyms_malformed_lines", _environment.KallsymsPath, $"{malformed} malformed lines skipped", malformed);
        if (table.AddressesHidden)
        {
            _telemetry.ReadFailed("kallsyms_addresses_hidden", _environment.KallsymsPath, "every address reads as zero", log: false);
            if (!_reportedHidden)
            {
                _reportedHidden = true;
                _telemetry.KernelAddressesHidden(_environment.KallsymsPath);
            }
        }
        _table.Set(_environment.KallsymsPath, table);
        return table;
    }
}
