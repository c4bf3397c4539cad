using System.Text;
using Collector.Core.Model;

namespace Collector.Processors.Symbolization.Kernel;

/// <summary>
/// The kernel's text symbols from one read of <c>/proc/kallsyms</c>, sorted by address: the core kernel's and
/// every loaded module's. kallsyms gives no sizes, so a symbol reaches the next one of the same image. Where
/// the image ends is known only for the core kernel (<c>_etext</c>); a module's last symbol reaches the end of
/// its page at most, because another module never shares that page: an address beyond it belongs to code this
/// read did not see (a module loaded since), and is reported as such so the caller can read again.
/// Names stay UTF-8 bytes in one array (a string per symbol was most of the table's memory) and become strings
/// only for the symbols frames land in.
/// </summary>
internal sealed class KernelSymbolTable
{
    public const string CoreKernelFile = "[kernel.kallsyms]";
    private const ulong PageSize = 4096;

    private readonly ulong[] _starts;
    private readonly int[] _nameStarts;
    private readonly byte[] _names;
    private readonly int[] _images;
    private readonly Mapping[] _imageMappings;
    private readonly Function?[] _functions;
    private readonly ulong _coreTextEnd;

    /// <param name="starts">Start addresses in ascending order, aliases in the order kallsyms listed them.</param>
    /// <param name="nameStarts">Where symbol i's UTF-8 name begins in <paramref name="names"/>; one more entry than symbols, the last ending the last name.</param>
    /// <param name="names">The names, one after the other.</param>
    /// <param name="images">Image 0 is the core kernel, image i &gt; 0 is <paramref name="moduleNames"/>[i - 1].</param>
    internal KernelSymbolTable(ulong[] starts, int[] nameStarts, byte[] names, int[] images, IReadOnlyList<string> moduleNames, ulong coreTextEnd, bool addressesHidden)
    {
        _starts = starts;
        _nameStarts = nameStarts;
        _names = names;
        _images = images;
        _functions = new Function?[starts.Length];
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
        function = _functions[index] ??= SymbolNames.ToFunction(Encoding.UTF8.GetString(_names.AsSpan(_nameStarts[index].._nameStarts[index + 1])));
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
