namespace Collector.Core.Model;

/// <summary>
/// Where the kernel says a user frame lies: the build id of the mapped file and the offset into that file
/// (<c>BPF_F_USER_BUILD_ID</c> stacks). <see cref="IsKnown"/> is false when the kernel could not tell
/// (anonymous or JIT memory, a file without a build id note, the note's page not resident).
/// </summary>
public readonly record struct UserFrameOrigin(KernelBuildId BuildId, ulong FileOffset)
{
    public bool IsKnown => !BuildId.IsEmpty;
}
