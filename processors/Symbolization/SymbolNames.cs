using Collector.Core.Model;
using Collector.Processors.Symbolization.Demangling;

namespace Collector.Processors.Symbolization;

/// <summary>A symbol's raw name as a model <see cref="Function"/>: the demangled name as name, the raw (mangled) one as system name.</summary>
internal static class SymbolNames
{
    /// <summary>Called once per symbol a frame lands in; the tables cache the result, so demangling is not per sample.</summary>
    public static Function ToFunction(string rawName) =>
        new(Demangler.TryDemangle(rawName, out var demangled) ? demangled : rawName, rawName);
}
