using System.Diagnostics.CodeAnalysis;

namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Turns raw symbol names into what GNU c++filt (binutils 2.40) prints for them: C++ names mangled per the Itanium
/// ABI ("_Z..."), Rust legacy names ("_ZN...17h&lt;hash&gt;E", printed with their "::h&lt;hash&gt;" as c++filt does)
/// and Rust v0 names ("_R..."). Thread-safe; each thread reuses its own parser state, so a demangle allocates the
/// result string and nothing else once warm. Never throws: anything unrecognised or malformed returns false.
/// </summary>
public static class Demangler
{
    [ThreadStatic] private static DemanglerState? state;

    /// <summary>Demangles <paramref name="raw"/>; false (and null) when it is not a mangled name this demangler accepts.</summary>
    public static bool TryDemangle(string raw, [NotNullWhen(true)] out string? demangled)
    {
        demangled = null;
        if (raw is null || raw.Length < 3 || raw[0] != '_') return false;
        var current = state ??= new DemanglerState();
        var output = current.Output;
        output.Reset();
        bool ok;
        if (raw[1] == 'R')
        {
            ok = current.RustV0.Demangle(raw, output);
        }
        else if (raw[1] == 'Z')
        {
            ok = RustLegacyDemangler.LooksLikeRustLegacy(raw)
                ? RustLegacyDemangler.Demangle(raw, output) || DemangleItanium(current, raw)
                : DemangleItanium(current, raw);
        }
        else
        {
            return false;
        }
        if (!ok || output.Overflowed || output.Length == 0) return false;
        demangled = output.ToString();
        return true;
    }

    private static bool DemangleItanium(DemanglerState current, string raw)
    {
        current.Output.Reset();
        var root = current.Parser.ParseMangledName(raw, out var cloneSuffixStart);
        if (root is null) return false;
        current.Printer.Print(root, raw, cloneSuffixStart);
        return current.Printer.Ok;
    }

    /// <summary>Per-thread reusable state: one output buffer and the parsers' node pools.</summary>
    private sealed class DemanglerState
    {
        public DemanglerState()
        {
            Printer = new ItaniumPrinter(Output);
        }

        public DemangleBuffer Output { get; } = new();

        public ItaniumParser Parser { get; } = new();

        public ItaniumPrinter Printer { get; }

        public RustV0Demangler RustV0 { get; } = new();
    }
}
