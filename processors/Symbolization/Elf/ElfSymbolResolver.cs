using Collector.Core.Model;
using Collector.Processors.Caching;

namespace Collector.Processors.Symbolization.Elf;

// TEMPORARY stub until the elf branch lands; replaced by the real resolver.
internal sealed class ElfSymbolResolver(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry) : IDisposable
{
    public bool TryResolve(Mapping mapping, ulong address, ProfileBatch batch, out Function function, out UnresolvedReason reason)
    {
        _ = (environment, policy, telemetry, mapping, address, batch);
        function = null!;
        reason = UnresolvedReason.FileUnavailable;
        return false;
    }

    public void Dispose() { }
}
