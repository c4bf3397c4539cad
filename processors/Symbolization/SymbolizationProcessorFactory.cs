using Collector.Core.Components;

namespace Collector.Processors.Symbolization;

public sealed class SymbolizationProcessorFactory : ProcessorFactory<SymbolizationOptions>
{
    public override string Type => "symbolization";

    public override string Description => "Names frames in the agent: kernel frames from /proc/kallsyms, native frames from ELF symbol tables (and debug files), JIT frames from /tmp/perf-<pid>.map.";

    protected override IProcessor Create(ComponentCreateSettings settings, SymbolizationOptions options, IProfilesConsumer next) =>
        new SymbolizationProcessor(settings, options, next, new SymbolizerEnvironment
        {
            DebugDirectories = options.DebugDirectories,
            Time = settings.TimeProvider,
        });
}
