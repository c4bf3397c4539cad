using System.Diagnostics;
using System.Text;
using Collector.Processors.Symbolization.Demangling;

namespace Collector.Processors.Tests.Symbolization.Demangling;

/// <summary>
/// Every mangled symbol of real binaries on this machine (libstdc++, the .NET runtime's libcoreclr, LLVM and
/// clang when installed, the Rust toolchain's libraries when installed) and the Rust names kept in
/// rust-symbols.txt (legacy and v0, from a small program built with rustc), compared with GNU c++filt. We must
/// print exactly what c++filt prints for at least 99.5% of them, and where c++filt gives up (prints the name
/// back) we must not crash. The figures and the names we disagree on are written to the test output.
/// </summary>
public sealed class CxxFiltComparisonTests(ITestOutputHelper output)
{
    private const double RequiredAgreement = 0.995;

    [Fact]
    public async Task Cpp_symbols_of_installed_libraries_match_cxxfilt()
    {
        ExternalTools.Require("c++filt", "binutils");
        ExternalTools.Require("nm", "binutils");
        var libraries = CppLibraries().ToList();
        Assert.NotEmpty(libraries);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var library in libraries)
        {
            var before = names.Count;
            foreach (var arguments in new[] { new[] { "-D", "--defined-only", library }, new[] { library } })
            {
                var (_, text, _) = await ExternalTools.RunAsync("nm", arguments);
                foreach (var name in SymbolNames(text)) names.Add(name);
            }
            output.WriteLine($"{library}: {names.Count - before} new mangled names");
        }
        await CompareAsync("C++", names.Where(name => name.StartsWith("_Z", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public async Task Rust_symbols_match_cxxfilt()
    {
        ExternalTools.Require("c++filt", "binutils");
        var path = Path.Combine(ExternalTools.RepositoryRoot, "tests", "Collector.Processors.Tests", "Symbolization", "Demangling", "rust-symbols.txt");
        var names = new SortedSet<string>(File.ReadLines(path).Where(line => line.Length > 0), StringComparer.Ordinal);
        var kept = names.Count;
        if (ExternalTools.OnPath("nm"))
        {
            foreach (var library in RustToolchainLibraries())
            {
                var (_, text, _) = await ExternalTools.RunAsync("nm", ["-D", "--defined-only", library]);
                foreach (var name in SymbolNames(text).Where(name => name.StartsWith("_R", StringComparison.Ordinal))) names.Add(name);
            }
        }
        output.WriteLine($"{kept} kept Rust names, {names.Count - kept} more from an installed Rust toolchain");
        Assert.Contains(names, name => name.StartsWith("_ZN", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("_R", StringComparison.Ordinal));
        await CompareAsync("Rust", names.ToList());
    }

    private async Task CompareAsync(string what, List<string> names)
    {
        Assert.NotEmpty(names);
        var input = Encoding.UTF8.GetBytes(string.Join('\n', names) + "\n");
        var (exitCode, text, error) = await ExternalTools.RunAsync("c++filt", [], input);
        Assert.True(exitCode == 0, error);
        var expected = text.Split('\n');
        Assert.True(expected.Length >= names.Count, $"c++filt printed {expected.Length} lines for {names.Count} names");

        int agree = 0, cxxfiltGaveUp = 0, weAlsoGaveUp = 0;
        var disagreements = new List<(string Name, string Expected, string? Ours)>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < names.Count; i++)
        {
            var ok = Demangler.TryDemangle(names[i], out var ours);
            var printed = ok ? ours : names[i];
            if (expected[i] == names[i])
            {
                cxxfiltGaveUp++;
                if (!ok) weAlsoGaveUp++;
            }
            if (printed == expected[i]) agree++;
            else disagreements.Add((names[i], expected[i], ok ? ours : null));
        }
        watch.Stop();

        var share = (double)agree / names.Count;
        output.WriteLine($"{what}: {agree} of {names.Count} names print as c++filt prints them ({share:P3}); " +
            $"c++filt gave up on {cxxfiltGaveUp}, we also returned false on {weAlsoGaveUp} of those; " +
            $"{names.Count / watch.Elapsed.TotalSeconds:F0} names/s in this loop");
        foreach (var (name, wanted, ours) in disagreements.Take(50))
        {
            output.WriteLine($"  {name}\n    c++filt: {wanted}\n    ours:    {ours ?? "<not demangled>"}");
        }
        Assert.True(share >= RequiredAgreement, $"{what}: only {agree} of {names.Count} agree with c++filt");
    }

    /// <summary>Mangled names from nm's output: the last column, without a symbol version, made of c++filt's symbol characters.</summary>
    private static IEnumerable<string> SymbolNames(string nmOutput)
    {
        foreach (var line in nmOutput.Split('\n'))
        {
            var name = line[(line.LastIndexOf(' ') + 1)..];
            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0) name = name[..at];
            if ((name.StartsWith("_Z", StringComparison.Ordinal) || name.StartsWith("_R", StringComparison.Ordinal))
                && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '.'))
            {
                yield return name;
            }
        }
    }

    private static IEnumerable<string> CppLibraries()
    {
        foreach (var path in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" })
        {
            if (File.Exists(path)) yield return path;
        }
        var dotnet = DotnetRoot();
        var runtimes = dotnet is null ? null : Path.Combine(dotnet, "shared", "Microsoft.NETCore.App");
        if (runtimes is not null && Directory.Exists(runtimes))
        {
            foreach (var coreclr in Directory.GetDirectories(runtimes).Order(StringComparer.Ordinal)
                .Select(directory => Path.Combine(directory, "libcoreclr.so")).Where(File.Exists).TakeLast(1))
            {
                yield return coreclr;
            }
        }
        foreach (var llvm in Directory.Exists("/usr/lib") ? Directory.GetDirectories("/usr/lib", "llvm-*").Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
        {
            foreach (var pattern in new[] { "libLLVM-*.so", "libclang-cpp.so.*", "libclang-*.so.*" })
            {
                var lib = Path.Combine(llvm, "lib");
                if (!Directory.Exists(lib)) continue;
                foreach (var file in Directory.GetFiles(lib, pattern).Order(StringComparer.Ordinal).Take(1)) yield return file;
            }
        }
    }

    private static IEnumerable<string> RustToolchainLibraries()
    {
        var home = Environment.GetEnvironmentVariable("RUSTUP_HOME")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".rustup");
        var toolchains = Path.Combine(home, "toolchains");
        if (!Directory.Exists(toolchains)) yield break;
        foreach (var toolchain in Directory.GetDirectories(toolchains).Order(StringComparer.Ordinal).Take(1))
        {
            var lib = Path.Combine(toolchain, "lib");
            if (!Directory.Exists(lib)) continue;
            foreach (var file in Directory.GetFiles(lib, "librustc_driver-*.so")) yield return file;
        }
    }

    private static string? DotnetRoot()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && Directory.Exists(root)) return root;
        var host = Environment.ProcessPath;
        var directory = host is null ? null : Path.GetDirectoryName(host);
        if (directory is not null && Directory.Exists(Path.Combine(directory, "shared"))) return directory;
        return Directory.Exists("/usr/share/dotnet") ? "/usr/share/dotnet" : null;
    }
}
