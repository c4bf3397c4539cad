using Collector.Core.Model;
using Collector.Processors.Elf;

namespace Collector.Processors.Symbolization.Elf;

/// <summary>
/// What the symbolizer keeps of one ELF file: its load segments (to turn a file offset into the address its
/// symbols use) and its function symbols, or why it has none. The file itself is not kept open: the symbol
/// table does not need it. Each symbol's <see cref="Function"/> is made once and shared by every frame.
/// </summary>
internal sealed class ElfSymbols
{
    private readonly ElfSegment[] _loads;
    private readonly SymbolTable _symbols;
    private readonly Dictionary<ulong, Function> _functions = [];

    private ElfSymbols(ElfSegment[] loads, SymbolTable symbols, UnresolvedReason? failure, long checkedAt)
    {
        _loads = loads;
        _symbols = symbols;
        Failure = failure;
        CheckedAt = checkedAt;
    }

    /// <summary>Why no frame of this file can be named; null when it has symbols.</summary>
    public UnresolvedReason? Failure { get; }

    /// <summary>When the file was looked for (timestamp of the symbolizer's clock).</summary>
    public long CheckedAt { get; }

    /// <summary>A failure that may pass (the file was not found, or reading it failed) rather than one that cannot (not ELF).</summary>
    public bool MayRecover { get; private init; }

    /// <summary>
    /// For a failure that may pass: the sources looked at since the last retry interval began, so that a frame
    /// bringing one not yet tried is looked up at once instead of after the interval.
    /// </summary>
    public TriedSources Tried { get; private init; } = TriedSources.None;

    public int SymbolCount => _symbols.Count;

    public static ElfSymbols Of(IReadOnlyList<ElfSegment> loads, SymbolTable symbols, long checkedAt) =>
        new([.. loads], symbols, null, checkedAt);

    public static ElfSymbols Failed(UnresolvedReason reason, bool mayRecover, long checkedAt, TriedSources? tried = null) =>
        new([], SymbolTable.Empty, reason, checkedAt) { MayRecover = mayRecover, Tried = tried ?? TriedSources.None };

    /// <summary>The function at <paramref name="fileOffset"/> in the file, through the PT_LOAD segment holding it.</summary>
    public bool TryFind(ulong fileOffset, out Function function)
    {
        foreach (var segment in _loads)
        {
            if (!segment.ContainsFileOffset(fileOffset)) continue;
            var distance = fileOffset - segment.FileOffset;
            if (segment.VirtualAddress > ulong.MaxValue - distance) continue;
            if (!_symbols.TryFind(segment.VirtualAddress + distance, out var symbol)) break;
            if (!_functions.TryGetValue(symbol.Start, out function!))
            {
                function = SymbolNames.ToFunction(symbol.Name);
                _functions.Add(symbol.Start, function);
            }
            return true;
        }
        function = null!;
        return false;
    }
}
