using System.Diagnostics;
using System.Globalization;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>
/// A program the test compiles itself (C or C++, any flags), with its own symbol table read by nm, so a test can
/// name the frames in the executable without the symbolization processor. Build it non-PIE for nm's addresses to be
/// the run-time ones.
/// </summary>
internal sealed class CompiledWorkload
{
    private readonly (ulong Start, ulong End, string Name)[] _symbols;

    private CompiledWorkload(string path, (ulong Start, ulong End, string Name)[] symbols)
    {
        Path = path;
        _symbols = symbols;
    }

    public string Path { get; }

    public static CompiledWorkload Build(string directory, string name, string extension, string source, string compiler, params string[] flags)
    {
        var sourcePath = System.IO.Path.Combine(directory, name + extension);
        File.WriteAllText(sourcePath, source);
        var binary = System.IO.Path.Combine(directory, name);
        Run(compiler, [.. flags, "-o", binary, sourcePath]);
        return FromBinary(binary);
    }

    /// <summary>Symbols of an executable built elsewhere (cargo).</summary>
    public static CompiledWorkload FromBinary(string binary, bool dynamic = false)
    {
        // "address size type name" for every defined symbol with a size; T/t are functions. Demangled for C++ and Rust.
        // A stripped distribution binary has only its dynamic symbols, and _start at its entry point.
        var symbols = Run("nm", [.. dynamic ? ["-D"] : Array.Empty<string>(), "--defined-only", "--print-size", "--demangle", binary])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 4))
            .Where(parts => parts.Length == 4 && parts[2] is "T" or "t" or "W" or "w")
            .Select(parts =>
            {
                var start = ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return (start, start + ulong.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), parts[3]);
            })
            .ToList();
        if (dynamic && EntryPoint(binary) is { } entry && !symbols.Exists(symbol => symbol.Item3 == "_start"))
        {
            symbols.Add((entry, entry + 0x30, "_start")); // x86-64 _start is 0x26 bytes in glibc's crt1
        }
        return new CompiledWorkload(binary, [.. symbols]);
    }

    private static ulong? EntryPoint(string binary)
    {
        foreach (var line in Run("readelf", ["-h", binary]).Split('\n'))
        {
            if (line.Trim().StartsWith("Entry point address:", StringComparison.Ordinal))
            {
                return Convert.ToUInt64(line.Split(':')[1].Trim(), 16);
            }
        }
        return null;
    }

    public Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
    }

    /// <summary>The function containing <paramref name="address"/> by the program's own symbol table, or null.</summary>
    public string? Resolve(ulong address) =>
        _symbols.FirstOrDefault(symbol => address >= symbol.Start && address < symbol.End).Name;

    /// <summary>Whether the program's symbol table names <paramref name="function"/>.</summary>
    public bool Defines(string function) => _symbols.Any(symbol => symbol.Name == function);

    /// <summary>The frames of the program itself, leaf first; frames elsewhere (libc, the loader) are skipped.</summary>
    public string[] OwnFrames(ReadOnlySpan<ulong> frames)
    {
        var names = new List<string>(frames.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            // Return addresses point after the call: the call itself is the byte before (the leaf is exact).
            if (Resolve(i == 0 ? frames[i] : frames[i] - 1) is { } name)
            {
                names.Add(name);
            }
        }
        return [.. names];
    }

    internal static string Run(string file, string[] arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {stderr.Result}");
    }
}
