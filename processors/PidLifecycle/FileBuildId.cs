using Collector.Core.Model;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// The identity of a file's content as mappings carry it: the GNU build id note, or else the htlhash of the
/// semantic conventions. <see cref="Value"/> is lower-case hex and is also the file's key in
/// <see cref="ProfileBatch.Executables"/>.
/// </summary>
internal sealed record FileBuildId(string AttributeKey, string Value, KernelBuildId? Gnu)
{
    public static FileBuildId FromGnu(ReadOnlySpan<byte> note) =>
        new(SemanticConventions.BuildIdGnu, Convert.ToHexStringLower(note), note.Length <= KernelBuildId.Size ? KernelBuildId.FromBytes(note) : null);

    public static FileBuildId FromHtlhash(string hex) => new(SemanticConventions.BuildIdHtlhash, hex, null);
}
