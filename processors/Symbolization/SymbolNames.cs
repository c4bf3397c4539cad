using Collector.Core.Model;

namespace Collector.Processors.Symbolization;

/// <summary>A symbol's raw name as a model <see cref="Function"/>: the raw (mangled) name as system name, the demangled one as name.</summary>
internal static class SymbolNames
{
    public static Function ToFunction(string rawName) => new(rawName, rawName);
}
