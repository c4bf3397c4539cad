
namespace Collector.Unwinding.Tests.Support;

/// <summary>Compiles test programs with the system gcc/g++ into a temporary directory removed on dispose.</summary>
internal sealed class NativeBuild : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("unwind-").FullName;

    public string Compile(string name, string source, string extension, string compiler, params string[] flags)
    {
        var sourcePath = Path.Combine(Directory, name + extension);
        var output = Path.Combine(Directory, name);
        File.WriteAllText(sourcePath, source);
        Run(compiler, [.. flags, "-o", output, sourcePath]);
        return output;
    }

    /// <summary>Runs a tool and fails the test with its error output when it fails.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var (exitCode, output, error) = ExternalTools.Run(tool, arguments, stdin: null);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {error}");
        return output;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
