using Collector.Core.Model;
using Collector.Processors.Caching;
using Collector.Processors.Symbolization.Elf;
using Collector.Processors.Symbolization.Kernel;
using Collector.Processors.Symbolization.PerfMaps;
using Collector.Processors.Symbolization.Python;
using Collector.Processors.Symbolization.ReadyToRun;
using Collector.Processors.Symbolization.Runtimes;

namespace Collector.Processors.Symbolization;

/// <summary>
/// Names one frame from the source its kind calls for: kernel frames from kallsyms, JIT frames and frames in
/// anonymous memory from their process's perf map, frames in a file from that file's ELF symbols, Python frames
/// from the code objects in their process's memory. Owns the
/// caches of every source, all under the same <see cref="CachePolicy"/>.
/// </summary>
internal sealed class FrameSymbolizer : IDisposable
{
    private readonly SymbolizerTelemetry _telemetry;

    public FrameSymbolizer(SymbolizerEnvironment environment, CachePolicy policy, SymbolizerTelemetry telemetry, RuntimePerfMaps? runtimes = null,
        bool python = true)
    {
        _telemetry = telemetry;
        Runtimes = runtimes;
        Kernel = new KernelSymbolResolver(environment, policy, telemetry);
        PerfMaps = new PerfMapResolver(environment, policy, telemetry);
        Elf = new ElfSymbolResolver(environment, policy, telemetry);
        ReadyToRun = new ReadyToRunResolver(policy, telemetry);
        Python = python ? new CPythonResolver(environment, policy, telemetry) : null;
    }

    /// <summary>Names <c>cpython</c> frames; null when the <c>python</c> option is off (they stay unnamed, counted).</summary>
    internal CPythonResolver? Python { get; }

    internal ReadyToRunResolver ReadyToRun { get; }

    internal KernelSymbolResolver Kernel { get; }

    /// <summary>Turns on the perf maps of .NET and Java processes; null when both are switched off.</summary>
    internal RuntimePerfMaps? Runtimes { get; }

    internal PerfMapResolver PerfMaps { get; }

    internal ElfSymbolResolver Elf { get; }

    /// <summary>
    /// Called before each batch: sources that follow a growing file may look at it again, and per-process state of
    /// processes whose exit the batch's watermark has passed is forgotten.
    /// </summary>
    public void BeginBatch(ProfileBatch batch)
    {
        PerfMaps.BeginBatch();
        Runtimes?.BeginBatch();
        Python?.BeginBatch(batch);
    }

    /// <summary>The location named (one line whose function carries the demangled and the raw name), or the same instance when it cannot be.</summary>
    public Location Resolve(Location location, int? pid, ProfileBatch batch)
    {
        var frameType = FrameKinds.FrameType(location);
        if (frameType == SemanticConventions.FrameTypeKernel)
        {
            if (Kernel.TryResolve(location.Address, out var kernelFunction, out var image, out var kernelReason))
            {
                _telemetry.Resolved(SymbolSource.Kernel);
                return Named(location, image, kernelFunction);
            }
            _telemetry.Unresolved(kernelReason);
            return location;
        }

        if (frameType == SemanticConventions.FrameTypeCpython)
        {
            // The address is a code object in the process, not code in a mapping: no other source can name it.
            var pythonReason = UnresolvedReason.NoSource;
            if (Python?.Resolve(location, pid, out pythonReason) is { } named)
            {
                _telemetry.Resolved(SymbolSource.Cpython);
                return named;
            }
            _telemetry.Unresolved(pythonReason);
            return location;
        }

        var reason = UnresolvedReason.NoSource;
        if (FrameKinds.IsJitType(frameType) || FrameKinds.IsAnonymous(location.Mapping))
        {
            if (pid is { } processId && ResolveJit(processId, frameType, location.Address, out var jitFunction))
            {
                _telemetry.Resolved(SymbolSource.PerfMap);
                return Named(location, location.Mapping, jitFunction);
            }
            reason = pid is null ? UnresolvedReason.NoSource : UnresolvedReason.NoPerfMapEntry;
        }
        if (ReadyToRunResolver.IsAssembly(location.Mapping) && !FrameKinds.IsAnonymous(location.Mapping))
        {
            if (ReadyToRun.TryResolve(location.Mapping!, location.Address, batch, out var precompiled, out reason))
            {
                _telemetry.Resolved(SymbolSource.ReadyToRun);
                return new Location(location.Mapping, location.Address, [new Line(precompiled)], FrameKinds.WithFrameType(location.Attributes, SemanticConventions.FrameTypeDotnet));
            }
        }
        else if (!FrameKinds.IsAnonymous(location.Mapping))
        {
            if (Elf.TryResolve(location.Mapping!, location.Address, batch, out var function, out reason))
            {
                _telemetry.Resolved(SymbolSource.Elf);
                return Named(location, location.Mapping, function);
            }
        }
        _telemetry.Unresolved(reason);
        return location;
    }

    public void Dispose()
    {
        Kernel.Dispose();
        PerfMaps.Dispose();
        Elf.Dispose();
        ReadyToRun.Dispose();
        Python?.Dispose();
    }

    /// <summary>
    /// From the perf map; a miss asks the runtime to write its map (first miss of a .NET process, rate-limited
    /// misses of a JVM) and looks again when the runtime answered while the batch waited.
    /// </summary>
    private bool ResolveJit(int pid, string? frameType, ulong address, out Function function)
    {
        if (Runtimes?.Java?.TakeRewritten(pid) == true) PerfMaps.Forget(pid);
        if (PerfMaps.TryResolve(pid, address, out function)) return true;
        if (Runtimes is null || !Runtimes.Missed(pid, frameType)) return false;
        if (Runtimes.Java?.TakeRewritten(pid) == true) PerfMaps.Forget(pid);
        return PerfMaps.TryResolveNow(pid, address, out function);
    }

    private static Location Named(Location location, Mapping? mapping, Function function) =>
        new(mapping, location.Address, [new Line(function)], location.Attributes);
}
