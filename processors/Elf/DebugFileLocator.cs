namespace Collector.Processors.Elf;

/// <summary>
/// Finds the separate debug file of a binary the way GDB's conventions lay them out: by GNU build id under
/// <c>&lt;root&gt;/.build-id/xx/rest.debug</c>, or by the <c>.gnu_debuglink</c> name in the binary's directory, its
/// <c>.debug</c> subdirectory and <c>&lt;root&gt;/&lt;binary's directory&gt;</c>. Candidates are verified (build id,
/// CRC-32), so a stale or foreign file is never used. Roots default to /usr/lib/debug; tests pass their own.
/// </summary>
public sealed class DebugFileLocator
{
    /// <summary>How many debug links <see cref="FollowDebugLinks"/> follows from one binary.</summary>
    public const int MaxLinkDepth = 4;

    public DebugFileLocator()
        : this(["/usr/lib/debug"])
    {
    }

    public DebugFileLocator(IReadOnlyList<string> debugRoots)
    {
        ArgumentNullException.ThrowIfNull(debugRoots);
        DebugRoots = debugRoots;
    }

    public IReadOnlyList<string> DebugRoots { get; }

    /// <summary>The debug file whose own build id equals <paramref name="buildId"/>, or null.</summary>
    public string? FindByBuildId(ReadOnlySpan<byte> buildId)
    {
        if (buildId.Length < 2) return null;
        var hex = Convert.ToHexStringLower(buildId);
        foreach (var root in DebugRoots)
        {
            var candidate = Path.Join(root, ".build-id", hex[..2], hex[2..] + ".debug");
            if (HasBuildId(candidate, buildId)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// The file named <paramref name="linkName"/> whose CRC-32 is <paramref name="crc"/>, looked for next to
    /// <paramref name="binaryPath"/>, in its .debug subdirectory and under each root; never the binary itself.
    /// </summary>
    public string? FindByDebugLink(string binaryPath, string linkName, uint crc)
    {
        ArgumentNullException.ThrowIfNull(binaryPath);
        ArgumentNullException.ThrowIfNull(linkName);
        // A debug link is a bare file name; anything that could climb out of the searched directories is refused.
        if (linkName.Length == 0 || linkName is "." or ".." || linkName.Contains('/', StringComparison.Ordinal) || linkName.Contains('\0', StringComparison.Ordinal)) return null;
        var directory = Path.GetDirectoryName(Path.GetFullPath(binaryPath)) ?? "/";
        var self = Identity(binaryPath);
        foreach (var candidate in Candidates(directory, linkName))
        {
            if (Identity(candidate) == self || !File.Exists(candidate)) continue;
            try
            {
                if (Crc32.OfFile(candidate) == crc) return candidate;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Unreadable candidates are as good as absent.
            }
        }
        return null;
    }

    /// <summary>
    /// The debug file for a binary: by build id first, else the first file of its debug-link chain; null when neither exists.
    /// </summary>
    public string? FindFor(string binaryPath, ElfFile binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        var byBuildId = FindByBuildId(binary.GnuBuildId);
        if (byBuildId is not null) return byBuildId;
        if (binary.DebugLinkName is null) return null;
        return FindByDebugLink(binaryPath, binary.DebugLinkName, binary.DebugLinkCrc);
    }

    /// <summary>
    /// Follows <c>.gnu_debuglink</c> from <paramref name="binaryPath"/> through the debug files it leads to, at
    /// most <see cref="MaxLinkDepth"/> links, and stops at a file already visited (a link back to the binary or
    /// any earlier file). Returns the files found, nearest first; unreadable or non-ELF files end the chain.
    /// </summary>
    public IReadOnlyList<string> FollowDebugLinks(string binaryPath)
    {
        var chain = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { Identity(binaryPath) };
        var current = binaryPath;
        while (chain.Count < MaxLinkDepth)
        {
            string? linkName;
            uint crc;
            try
            {
                using var file = ElfFile.Open(current);
                (linkName, crc) = (file.DebugLinkName, file.DebugLinkCrc);
            }
            catch (Exception exception) when (exception is ElfFormatException or IOException or UnauthorizedAccessException)
            {
                break;
            }
            var next = linkName is null ? null : FindByDebugLink(current, linkName, crc);
            if (next is null || !visited.Add(Identity(next))) break;
            chain.Add(next);
            current = next;
        }
        return chain;
    }

    private IEnumerable<string> Candidates(string directory, string linkName)
    {
        yield return Path.Join(directory, linkName);
        yield return Path.Join(directory, ".debug", linkName);
        foreach (var root in DebugRoots) yield return Path.Join(root, directory.TrimStart('/'), linkName);
    }

    private static bool HasBuildId(string candidate, ReadOnlySpan<byte> buildId)
    {
        if (!File.Exists(candidate)) return false;
        try
        {
            using var file = ElfFile.Open(candidate);
            return file.GnuBuildId.SequenceEqual(buildId);
        }
        catch (Exception exception) when (exception is ElfFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The path with its final symbolic link resolved, so two names of one file compare equal.</summary>
    private static string Identity(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }
}
