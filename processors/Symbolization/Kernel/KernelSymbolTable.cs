using Collector.Core.Model;

namespace Collector.Processors.Symbolization.Kernel;

/// <summary>
/// The kernel's text symbols from one read of <c>/proc/kallsyms</c>, sorted by address: the core kernel's and
/// every loaded module's. kallsyms gives no sizes, so a symbol reaches the next one of the same image. Where
/// the image ends is known only for the core kernel (<c>_etext</c>); a module's last symbol reaches the end of
/// its page at most, because another module never shares that page: an address beyond it belongs to code this
/// read did not see (a module loaded since), and is reported as such so the caller can read again.
/// </summary>
internal sealed class KernelSymbolTable
{
    public const string CoreKernelFile = "[kernel.kallsyms]";
    private const ulong PageSize = 4096;

    private readonly ulong[] _starts;
    private readonly string[] _names;
    private readonly int[] _images;
    private readonly Mapping[] _imageMappings;
    private readonly Function?[] _functions;
    private readonly ulong _coreTextEnd;

    /// <param name="symbols">Text symbols in any order; image 0 is the core kernel, image i &gt; 0 is <paramref name="moduleNames"/>[i - 1].</param>
    public KernelSymbolTable(List<(ulong Start, string Name, int Image)> symbols, IReadOnlyList<string> moduleNames, ulong coreTextEnd, bool addressesHidden)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(moduleNames);
        // Stable, so of two symbols at one address (aliases) the first one listed names it, as perf does.
        var starts = new ulong[symbols.Count];
        for (var i = 0; i < starts.Length; i++) starts[i] = symbols[i].Start;
        var order = AddressOrder.Stable(starts);
        _starts = new ulong[order.Length];
        _names = new string[order.Length];
        _images = new int[order.Length];
        for (var i = 0; i < order.Length; i++) (_starts[i], _names[i], _images[i]) = symbols[order[i]];
        _functions = new Function?[order.Length];
        _imageMappings = [new Mapping(0, 0, 0, CoreKernelFile), .. moduleNames.Select(name => new Mapping(0, 0, 0, name))];
        _coreTextEnd = coreTextEnd;
        AddressesHidden = addressesHidden;
    }

    public int Count => _starts.Length;

    public int ModuleCount => _imageMappings.Length - 1;

    /// <summary>
    /// Every address read as zero: the kernel hides them from readers without CAP_SYSLOG (kernel.kptr_restrict),
    /// so no frame can be named from this table.
    /// </summary>
    public bool AddressesHidden { get; }

    /// <summary>The symbol containing <paramref name="address"/> and the mapping of its image (core kernel or module), shared by every frame of that image.</summary>
    public bool TryFind(ulong address, out Function function, out Mapping image)
    {
        function = null!;
        image = null!;
        if (AddressesHidden) return false;
        var index = LastStartAtOrBelow(address);
        if (index < 0 || address >= End(index)) return false;
        function = _functions[index] ??= SymbolNames.ToFunction(_names[index]);
        image = _imageMappings[_images[index]];
        return true;
    }

    private ulong End(int index)
    {
        var image = _images[index];
        var next = index + 1;
        while (next < _starts.Length && _starts[next] == _starts[index]) next++; // aliases
        if (next < _starts.Length && _images[next] == image) return _starts[next];
        var nextStart = next < _starts.Length ? _starts[next] : ulong.MaxValue;
        var imageEnd = image == 0 && _coreTextEnd > _starts[index]
            ? _coreTextEnd
            : (_starts[index] | (PageSize - 1)) + 1;
        return Math.Min(nextStart, imageEnd);
    }

    private int LastStartAtOrBelow(ulong address)
    {
        var index = Array.BinarySearch(_starts, address);
        if (index < 0) index = ~index - 1;
        // Aliases share an address: take the first listed, which the stable sort put first.
        while (index > 0 && _starts[index - 1] == _starts[index]) index--;
        return index;
    }
}
