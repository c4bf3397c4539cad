using System.Diagnostics.CodeAnalysis;

namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Turns raw symbol names into what GNU c++filt (binutils 2.40, default options) prints for them, written from the
/// published grammars (Itanium C++ ABI section 5, Rust legacy mangling, RFC 2603 for Rust v0):
/// <list type="bullet">
/// <item>C++ "_Z..." names with c++filt's verbose spelling: full signatures, "std::basic_string&lt;char, ...&gt;"
/// for Ss/Si/So/Sd, "&gt; &gt;" between closing brackets, GCC clone suffixes as " [clone .constprop.0]".</item>
/// <item>Rust legacy "_ZN...17h&lt;16 hex&gt;E": c++filt keeps the hash as a last "::h&lt;hash&gt;" component, so we do.</item>
/// <item>Rust v0 "_R...": crate disambiguators in brackets ("core[c1f1a4ba060b9bfa]"), "{closure#0}", constants
/// as "8: usize", punycode identifiers decoded.</item>
/// </list>
/// Like c++filt on Linux we do not accept Mach-O's extra underscore ("__Z"), and names such as
/// "_GLOBAL__sub_I_file.cpp" are not mangled names (false). Thread-safe; each thread reuses its own parser state,
/// so a demangle allocates its result string and nothing else once warm. Never throws: unrecognised, malformed or
/// hostile input returns false, with recursion depth, node count, work and output length all capped.
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
        if (ok && !output.Overflowed && output.Length > 0) demangled = output.ToString();
        current.Output.Shrink();
        current.Parser.Shrink();
        return demangled is not null;
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
