
namespace Collector.Processors.Tests.Elf.Support;

/// <summary>
/// Real ELF files compiled once for all ELF tests (xunit collection fixture) in a temporary directory:
/// sample.c with gcc (with debug info, stripped with a separate debug file, as a stripped shared object) and
/// tiny.c with clang-14 + lld for ELF32 little-endian, ELF32 big-endian and ELF64 big-endian targets.
/// A missing compiler leaves <see cref="Missing"/> set; the tests then skip (or fail under CI=true).
/// </summary>
public sealed class CompiledBinaries : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("collector-elf-").FullName;

    public CompiledBinaries()
    {
        var support = Path.Combine(ExternalTools.RepositoryRoot, "tests", "Collector.Processors.Tests", "Elf", "Support");
        var sample = Path.Combine(support, "sample.c");
        var tiny = Path.Combine(support, "tiny.c");
        foreach (var (tool, package) in new[] { ("gcc", "gcc"), ("objcopy", "binutils"), ("readelf", "binutils"), ("nm", "binutils") })
        {
            if (!ExternalTools.OnPath(tool))
            {
                Missing = $"{tool} is not installed (Debian package {package})";
                return;
            }
        }
        Program = File("prog");
        Compile("gcc", "-O1", "-g", "-Wl,--build-id=sha1", sample, "-o", Program);
        SharedObject = File("libsample.so");
        Compile("gcc", "-O1", "-shared", "-fPIC", "-s", "-Wl,--build-id=sha1", sample, "-o", SharedObject);

        // The split-debug layout of distributions: a stripped binary that names its debug file.
        DebugFile = File("prog-stripped.debug");
        StrippedProgram = File("prog-stripped");
        Compile("objcopy", "--only-keep-debug", Program, DebugFile);
        Compile("objcopy", "--strip-all", Program, StrippedProgram);
        Compile("objcopy", $"--add-gnu-debuglink={DebugFile}", StrippedProgram);

        if (!ExternalTools.OnPath("clang-14") || !System.IO.File.Exists("/usr/lib/llvm-14/bin/ld.lld"))
        {
            MissingCross = "clang-14 or ld.lld is not installed (Debian packages clang-14, lld-14)";
            return;
        }
        foreach (var (name, target) in CrossTargets)
        {
            Compile("clang-14", $"--target={target}", "-O1", "-nostdlib", "-static", "-fuse-ld=lld", "-Wl,--build-id=sha1", "-Wl,-e,_start", tiny, "-o", File(name));
        }
    }

    /// <summary>File name → clang target: ELF32 LE, ELF32 BE, ELF64 BE (x86-64 LE is <see cref="Program"/>).</summary>
    public static IReadOnlyList<(string Name, string Target)> CrossTargets { get; } =
        [("tiny-i686", "i686-linux-gnu"), ("tiny-mips", "mips-linux-gnu"), ("tiny-aarch64_be", "aarch64_be-linux-gnu")];

    public const string Libc = "/lib/x86_64-linux-gnu/libc.so.6";

    public string? Missing { get; }

    public string? MissingCross { get; }

    /// <summary>sample.c with symbols and DWARF (a PIE).</summary>
    public string Program { get; } = "";

    /// <summary><see cref="Program"/> with everything stripped and a .gnu_debuglink to <see cref="DebugFile"/>.</summary>
    public string StrippedProgram { get; } = "";

    public string DebugFile { get; } = "";

    /// <summary>sample.c as a stripped shared object: only .dynsym is left.</summary>
    public string SharedObject { get; } = "";

    public string File(string name) => Path.Combine(_directory, name);

    /// <summary>Returns when the compilers ran; otherwise skips the test with the reason (fails it under CI=true).</summary>
    public void Require(bool cross = false)
    {
        var missing = Missing ?? (cross ? MissingCross : null);
        ExternalTools.Require(missing is null, missing ?? "");
    }

    /// <summary>The native binaries (and libc when the system has it), plus the cross-compiled ones when they were built.</summary>
    public IReadOnlyList<string> Readable(params string[] natives)
    {
        var paths = new List<string>(natives);
        if (System.IO.File.Exists(Libc)) paths.Add(Libc);
        if (MissingCross is null) paths.AddRange(CrossTargets.Select(t => File(t.Name)));
        return paths;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void Compile(string tool, params string[] arguments)
    {
        var (exitCode, output, error) = ExternalTools.Run(tool, arguments, stdin: null);
        if (exitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({exitCode}): {output}{error}");
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledBinariesCollection : ICollectionFixture<CompiledBinaries>
{
    public const string Name = "compiled ELF binaries";
}
