using System.Collections.Immutable;
using Collector.Core.Model;
using Collector.ProcMaps;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// A mapped file held open by the process table, so later processors can read it after the process exited or
/// the path changed. One per file identity, shared by every process that maps it; the table counts the
/// process images referring to it and closes it (after the batch that last used it went downstream) once none do.
/// </summary>
internal sealed class HeldExecutable : ExecutableFile, IDisposable
{
    private readonly Lock _gate = new();
    private SafeFileHandle? _handle;

    public HeldExecutable(FileIdentity? identity, string path, SafeFileHandle handle, long size, FileBuildId? buildId)
    {
        Identity = identity;
        Path = path;
        _handle = handle;
        Size = size;
        BuildId = buildId;
        MappingAttributes = buildId is null ? [] : [KeyValueAndUnit.Of(buildId.AttributeKey, buildId.Value)];
    }

    public override string Path { get; }

    /// <summary>Device and inode as the maps line said; null for a file opened by path only (an exec's file name).</summary>
    public FileIdentity? Identity { get; }

    public long Size { get; }

    public FileBuildId? BuildId { get; }

    /// <summary>The build id attribute every mapping of this file carries (empty when there is none).</summary>
    public ImmutableArray<KeyValueAndUnit> MappingAttributes { get; }

    /// <summary>Process images referring to this file; owned by <see cref="FileTable"/> (under its caller's lock).</summary>
    internal int References { get; set; }

    public bool IsOpen
    {
        get
        {
            lock (_gate) return _handle is not null;
        }
    }

    public override SafeFileHandle? Open()
    {
        lock (_gate)
        {
            if (_handle is null) return null;
            try
            {
                // A fresh open file description (own offset) of the very file we hold, deleted or not.
                return File.OpenHandle(FdInfo.ReopenPath(_handle), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception error) when (ProcReader.IsGone(error))
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _handle?.Dispose();
            _handle = null;
        }
    }

    public override string ToString() => $"{Path} ({BuildId?.Value ?? "no build id"})";
}
