using Microsoft.Win32.SafeHandles;

namespace Collector.Core.Model;

/// <summary>
/// A file some process mapped, kept readable by the processor that learned it (pid_lifecycle holds it open) so
/// that a later processor can still read it after the process exited, its path was replaced, or it lives in
/// another mount namespace. Travels in band in <see cref="ProfileBatch.Executables"/>; never exported.
/// </summary>
public abstract class ExecutableFile
{
    /// <summary>The path as the process mapped it: what <see cref="Mapping.Filename"/> says.</summary>
    public abstract string Path { get; }

    /// <summary>
    /// Opens the file for reading, or returns null when it can no longer be read (the holder let it go).
    /// The caller owns the handle. Safe to call from any thread.
    /// </summary>
    public abstract SafeFileHandle? Open();

    /// <summary>The key a mapping's file is found under in <see cref="ProfileBatch.Executables"/>: its build id attribute.</summary>
    public static string? KeyOf(Mapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        string? htlhash = null;
        foreach (var attribute in mapping.Attributes)
        {
            if (attribute.Value is not { Kind: AnyValueKind.String }) continue;
            if (attribute.Key == SemanticConventions.BuildIdGnu) return attribute.Value.StringValue;
            if (attribute.Key == SemanticConventions.BuildIdHtlhash) htlhash = attribute.Value.StringValue;
        }
        return htlhash;
    }
}
