using System.Buffers;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.Elf;

/// <summary>
/// A read-only memory mapping of a whole file, seen as <see cref="Memory{T}"/> so the parser works on spans
/// without copying. The one unsafe spot of the ELF reader: the span is only valid until <see cref="Dispose"/>,
/// which <see cref="ElfFile"/> guards. Files of 2 GiB or more are refused (a span cannot cover them).
/// A file truncated in place by another process while mapped makes reads past its new end fault (SIGBUS), as for
/// any mapping: callers keep files mapped only while they read them (open, read symbols, dispose).
/// </summary>
internal sealed unsafe class MappedImage : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;
    private bool _disposed;

    private MappedImage(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* pointer, int length)
    {
        _file = file;
        _view = view;
        _pointer = pointer;
        _length = length;
    }

    /// <summary>Maps the file behind <paramref name="handle"/>; the handle may be closed afterwards.</summary>
    public static MappedImage Map(SafeFileHandle handle, string displayName)
    {
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            throw new ElfFormatException($"{displayName}: the file is empty");
        }
        if (length > int.MaxValue)
        {
            throw new ElfFormatException($"{displayName}: {length} bytes is more than the 2 GiB the reader maps");
        }
        var file = MemoryMappedFile.CreateFromFile(handle, mapName: null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedImage(file, view, pointer + view.PointerOffset, (int)length);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new Span<byte>(_pointer, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
        // The mapping never moves; nothing to release per pin.
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed || !disposing) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
