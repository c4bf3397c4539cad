namespace Collector.Interpreters.Tests.CPython.Support;

/// <summary>One CPython installation on this machine: the executable, its headers and its version.</summary>
public sealed record PythonInterpreter(string Name, string Executable, string IncludeDirectory, int Minor)
{
    public override string ToString() => Name;
}

/// <summary>
/// The interpreters the Python acceptance names: Debian's /usr/bin/python3 (3.11, libpython linked into the
/// executable) and pyenv's 3.10, 3.11, 3.12 and 3.13 (libpython3.X.so beside the executable).
/// </summary>
public static class PythonInterpreters
{
    public static readonly string[] Names = ["debian-3.11", "pyenv-3.10", "pyenv-3.11", "pyenv-3.12", "pyenv-3.13"];

    public static TheoryData<string> All => new(Names);

    private static string PyenvRoot =>
        Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } root ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");

    /// <summary>The interpreter called <paramref name="name"/>, or skips the test (fails it under CI=true) when it is not installed.</summary>
    public static PythonInterpreter Require(string name)
    {
        var interpreter = Find(name);
        ExternalTools.Require(interpreter is not null, $"{name} is not installed (Debian python3-dev, or pyenv install)");
        return interpreter!;
    }

    private static PythonInterpreter? Find(string name)
    {
        var minor = int.Parse(name[(name.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        PythonInterpreter candidate;
        if (name.StartsWith("debian-", StringComparison.Ordinal))
        {
            candidate = new(name, $"/usr/bin/python3.{minor}", $"/usr/include/python3.{minor}", minor);
        }
        else
        {
            var versions = Path.Combine(PyenvRoot, "versions");
            var directory = Directory.Exists(versions)
                ? Directory.GetDirectories(versions, $"3.{minor}.*").Order(StringComparer.Ordinal).LastOrDefault()
                : null;
            if (directory is null) return null;
            candidate = new(name, Path.Combine(directory, "bin", $"python3.{minor}"), Path.Combine(directory, "include", $"python3.{minor}"), minor);
        }
        return File.Exists(candidate.Executable) && File.Exists(Path.Combine(candidate.IncludeDirectory, "Python.h")) ? candidate : null;
    }
}
