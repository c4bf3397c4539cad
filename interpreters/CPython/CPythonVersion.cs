namespace Collector.Interpreters.CPython;

/// <summary>A CPython version as <c>PY_VERSION_HEX</c> encodes it (0xMMmmpprs: major, minor, micro, release level, serial).</summary>
public readonly record struct CPythonVersion(int Major, int Minor, int Micro = 0)
{
    /// <summary>Decodes <c>Py_Version</c> / <c>PY_VERSION_HEX</c>.</summary>
    public static CPythonVersion FromHex(uint hex) => new((int)(hex >> 24), (int)((hex >> 16) & 0xff), (int)((hex >> 8) & 0xff));

    /// <summary>Whether two versions share a layout: CPython keeps structure layouts within a minor release.</summary>
    public bool SameMinor(CPythonVersion other) => Major == other.Major && Minor == other.Minor;

    public override string ToString() => $"{Major}.{Minor}.{Micro}";
}
