using Collector.Core.Model;
using Collector.Processors.Caching;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.Symbolization.ReadyToRun;

/// <summary>
/// Names frames in the precompiled code of .NET assemblies (<c>.dll</c> PE images the runtime mapped, such as
/// System.Private.CoreLib.dll) from their ReadyToRun tables and metadata. The frame's file offset is turned into an
/// RVA through the image's section headers. Images are cached by identity (build id, else path, size and time)
/// under the shared policy, like ELF symbol tables; an image that is not ReadyToRun is remembered as such and
/// counted once, not parsed again while it keeps being asked for.
/// </summary>
internal sealed class ReadyToRunResolver : IDisposable
{
    private readonly SymbolizerTelemetry _telemetry;
    private readonly SlidingCache<string, Image> _images;

    public ReadyToRunResolver(CachePolicy policy, SymbolizerTelemetry telemetry)
    {
        _telemetry = telemetry;
        _images = new SlidingCache<string, Image>(policy, StringComparer.Ordinal);
        telemetry.ObserveCache("ready_to_run", _images);
    }

    /// <summary>Images parsed so far.</summary>
    public int Parses { get; private set; }

    /// <summary>A mapping of a .NET assembly: its frames are named here, never by the ELF reader.</summary>
    public static bool IsAssembly(Mapping? mapping) =>
        mapping is not null &&
        (mapping.Filename.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || mapping.Filename.EndsWith(".exe", StringComparison.OrdinalIgnoreCase));

    public bool TryResolve(Mapping mapping, ulong address, ProfileBatch batch, out Function function, out UnresolvedReason reason)
    {
        function = null!;
        var buildId = ExecutableFile.KeyOf(mapping);
        var key = buildId ?? Identity(mapping.Filename);
        if (key is null || address < mapping.MemoryStart)
        {
            reason = UnresolvedReason.FileUnavailable;
            return false;
        }
        if (!_images.TryGet(key, out var image))
        {
            image = Load(mapping, buildId, batch);
            _images.Set(key, image);
        }
        if (image.Methods is not { } methods)
        {
            reason = UnresolvedReason.FileUnreadable;
            return false;
        }
        var fileOffset = address - mapping.MemoryStart + mapping.FileOffset;
        reason = UnresolvedReason.NoSymbol;
        return image.Sections.TryRva(fileOffset, out var rva) && methods.TryFind(rva, out function);
    }

    /// <summary>The cache, for tests.</summary>
    internal SlidingCache<string, Image> Cache => _images;

    public void Dispose() => _images.Dispose();

    private Image Load(Mapping mapping, string? buildId, ProfileBatch batch)
    {
        var path = mapping.Filename;
        try
        {
            using var handle = Open(mapping, buildId, batch, ref path);
            if (handle is null) return Image.Failed;
            Parses++;
            var (methods, sections) = ReadyToRunImage.Read(handle, path);
            return new Image(methods, sections);
        }
        catch (ReadyToRunFormatException error)
        {
            _telemetry.ReadFailed("pe_not_ready_to_run", path, error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _telemetry.ReadFailed("pe_unreadable", path, error.Message);
        }
        return Image.Failed;
    }

    /// <summary>The file pid_lifecycle holds for the mapping, else the file at its path.</summary>
    private static SafeFileHandle? Open(Mapping mapping, string? buildId, ProfileBatch batch, ref string path)
    {
        if (buildId is not null && batch.Executables.TryGetValue(buildId, out var executable) && executable.Open() is { } held)
        {
            path = executable.Path;
            return held;
        }
        return mapping.Filename.StartsWith('/') && File.Exists(mapping.Filename)
            ? File.OpenHandle(mapping.Filename, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
            : null;
    }

    private static string? Identity(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return path.StartsWith('/') && file.Exists ? $"file:{file.Length}:{file.LastWriteTimeUtc.Ticks}:{path}" : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal sealed record Image(ReadyToRunMethods? Methods, ImageSections Sections)
    {
        public static readonly Image Failed = new(null, new ImageSections([]));
    }
}
