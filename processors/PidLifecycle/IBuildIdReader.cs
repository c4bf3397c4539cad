using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.PidLifecycle;

/// <summary>Computes a file's build id; a seam so tests can count how often files are read.</summary>
internal interface IBuildIdReader
{
    /// <summary>The GNU build id, else the htlhash; null when the file cannot be read at all.</summary>
    FileBuildId? Read(SafeFileHandle file, string displayName);
}
