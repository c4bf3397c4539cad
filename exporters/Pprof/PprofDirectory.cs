using System.Globalization;

namespace Collector.Exporters.Pprof;

/// <summary>
/// The directory of pprof files: names that sort in time order (<c>profile-20261121T150405.123Z.pb.gz</c>, with
/// <c>-pid42</c> per process), each file written under a temporary name and renamed, so a reader never sees half a
/// profile, and the oldest files removed once the directory holds more than the rotation allows.
/// </summary>
internal sealed class PprofDirectory(string path, PprofRotationOptions rotation)
{
    private const string Prefix = "profile-";
    private const string Extension = ".pb.gz";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Writes one profile; returns its path.</summary>
    /// <summary>
    /// Writes one profile; returns its path. Two profiles with the same stamp and pid (several sample types, or
    /// reports within a millisecond) get <c>-1</c>, <c>-2</c>… rather than overwrite each other.
    /// </summary>
    public string Write(DateTime utcTime, long? pid, byte[] gzippedProfile)
    {
        Directory.CreateDirectory(Path);
        var stem = Prefix + utcTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture) +
            (pid is { } p ? string.Create(CultureInfo.InvariantCulture, $"-pid{p}") : "");
        var target = System.IO.Path.Combine(Path, stem + Extension);
        for (var sequence = 1; System.IO.File.Exists(target); sequence++)
        {
            target = System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"{stem}-{sequence}{Extension}"));
        }
        var temporary = target + ".tmp";
        System.IO.File.WriteAllBytes(temporary, gzippedProfile);
        System.IO.File.Move(temporary, target);
        return target;
    }

    /// <summary>Deletes the oldest files beyond the limits; returns the paths it could not delete.</summary>
    public List<(string File, string Reason)> Prune()
    {
        var failures = new List<(string, string)>();
        if (rotation.MaxFiles == 0 && rotation.MaxMegabytes == 0) return failures;
        var files = new DirectoryInfo(Path).EnumerateFiles(Prefix + "*" + Extension)
            .OrderByDescending(file => file.Name, StringComparer.Ordinal)
            .ToList();
        long bytes = 0;
        var byteLimit = (long)rotation.MaxMegabytes * 1024 * 1024;
        for (var i = 0; i < files.Count; i++)
        {
            bytes += files[i].Length;
            // The newest file always stays, even when it alone is over the size limit.
            var keep = i == 0 || ((rotation.MaxFiles == 0 || i < rotation.MaxFiles) && (byteLimit == 0 || bytes <= byteLimit));
            if (keep) continue;
            try
            {
                files[i].Delete();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                failures.Add((files[i].FullName, error.Message));
            }
        }
        return failures;
    }
}
