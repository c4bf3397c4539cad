using System.Text;

namespace Collector.Processors.Symbolization.Kernel;

/// <summary>
/// Collects kallsyms text symbols in file order and turns them into a <see cref="KernelSymbolTable"/>. A kernel
/// has over 100,000 of them: names are copied as UTF-8 bytes into one growing array and the rest into parallel
/// growing arrays, so adding a symbol allocates nothing. Module names become strings once per module.
/// </summary>
internal sealed class KernelSymbolTableBuilder
{
    // Room for a small kernel's symbols at once (a distribution kernel has 100,000 to 250,000): each doubling copies.
    private const int InitialSymbols = 1 << 16;

    private ulong[] _starts = new ulong[InitialSymbols];
    private int[] _nameEnds = new int[InitialSymbols];
    private int[] _images = new int[InitialSymbols];
    private byte[] _names = new byte[InitialSymbols * 32];
    private int _namesLength;
    private readonly List<string> _modules = [];
    private readonly Dictionary<string, int> _moduleImages = new(StringComparer.Ordinal);
    // kallsyms lists a module's symbols together: the previous line's module is the likely one, compared as bytes.
    private byte[] _lastModule = new byte[64];
    private int _lastModuleLength;
    private int _lastImage;
    private bool _inAddressOrder = true;

    public int Count { get; private set; }

    /// <summary>Adds a symbol of the core kernel (empty <paramref name="module"/>) or of the module named by <paramref name="module"/>.</summary>
    public void Add(ulong start, ReadOnlySpan<byte> name, ReadOnlySpan<byte> module)
    {
        if (Count == _starts.Length)
        {
            var capacity = checked(Count * 2);
            Array.Resize(ref _starts, capacity);
            Array.Resize(ref _nameEnds, capacity);
            Array.Resize(ref _images, capacity);
        }
        if (name.Length > _names.Length - _namesLength) Array.Resize(ref _names, Math.Max(checked(_names.Length * 2), checked(_namesLength + name.Length)));
        name.CopyTo(_names.AsSpan(_namesLength));
        _namesLength += name.Length;
        if (Count > 0 && start < _starts[Count - 1]) _inAddressOrder = false;
        _starts[Count] = start;
        _nameEnds[Count] = _namesLength;
        _images[Count] = module.IsEmpty ? 0 : ImageOf(module);
        Count++;
    }

    public KernelSymbolTable Build(ulong coreTextEnd, bool addressesHidden)
    {
        if (_inAddressOrder)
        {
            // kallsyms lists the core kernel by address, and often its modules too: the file order is then the
            // sorted order, with aliases as listed, and sorting would cost more than the rest of the build.
            var inOrderNameStarts = new int[Count + 1];
            _nameEnds.AsSpan(0, Count).CopyTo(inOrderNameStarts.AsSpan(1));
            return new KernelSymbolTable(_starts.AsSpan(0, Count).ToArray(), inOrderNameStarts, _names.AsSpan(0, _namesLength).ToArray(),
                _images.AsSpan(0, Count).ToArray(), _modules, coreTextEnd, addressesHidden);
        }
        // Stable, so of two symbols at one address (aliases) the first one listed names it, as perf does.
        var order = AddressOrder.Stable(_starts.AsSpan(0, Count));
        var starts = new ulong[Count];
        var images = new int[Count];
        var nameStarts = new int[Count + 1];
        var names = new byte[_namesLength];
        var written = 0;
        for (var i = 0; i < order.Length; i++)
        {
            var symbol = order[i];
            starts[i] = _starts[symbol];
            images[i] = _images[symbol];
            var nameStart = symbol == 0 ? 0 : _nameEnds[symbol - 1];
            var name = _names.AsSpan(nameStart, _nameEnds[symbol] - nameStart);
            nameStarts[i] = written;
            name.CopyTo(names.AsSpan(written));
            written += name.Length;
        }
        nameStarts[Count] = written;
        return new KernelSymbolTable(starts, nameStarts, names, images, _modules, coreTextEnd, addressesHidden);
    }

    /// <summary>Image 0 is the core kernel; image i &gt; 0 is the i-th distinct module name, compared as text as kallsyms' reader decoded it.</summary>
    private int ImageOf(ReadOnlySpan<byte> module)
    {
        if (module.SequenceEqual(_lastModule.AsSpan(0, _lastModuleLength))) return _lastImage;
        Span<char> text = module.Length <= 256 ? stackalloc char[256] : new char[module.Length];
        text = text[..Encoding.UTF8.GetChars(module, text)];
        if (!_moduleImages.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var image))
        {
            var name = text.ToString();
            _modules.Add(name);
            image = _modules.Count;
            _moduleImages.Add(name, image);
        }
        if (module.Length > _lastModule.Length) _lastModule = new byte[module.Length];
        module.CopyTo(_lastModule);
        _lastModuleLength = module.Length;
        _lastImage = image;
        return image;
    }
}
