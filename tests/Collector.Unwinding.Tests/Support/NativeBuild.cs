
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

    /// <summary>
    /// TestPrograms.DeepC built by gcc -O2 -g without unwind tables, so its call-frame information is in .debug_frame
    /// only: crt1.o and friends still bring .eh_frame for _start, which is removed.
    /// </summary>
    public string CompileWithDebugFrameOnly(string name = "debugonly")
    {
        RequireDebugFrameTools();
        var program = Compile(name, TestPrograms.DeepC, ".c", "gcc", "-O2", "-g", "-fomit-frame-pointer", "-fno-asynchronous-unwind-tables",
            "-fno-unwind-tables");
        Run("objcopy", "--remove-section=.eh_frame", "--remove-section=.eh_frame_hdr", program);
        return program;
    }

    /// <summary>gcc to build, objcopy to move sections, readelf to compare with.</summary>
    public static void RequireDebugFrameTools()
    {
        ExternalTools.Require("gcc", "gcc");
        ExternalTools.Require("objcopy", "binutils");
        ExternalTools.Require("readelf", "binutils");
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
