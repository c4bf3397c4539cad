namespace Collector.Processors.Symbolization.Demangling;

/// <summary>Rust v0 mangling (RFC 2603), printed as c++filt prints it.</summary>
internal sealed class RustV0Demangler
{
    public bool Demangle(string raw, DemangleBuffer output) => false;
}
