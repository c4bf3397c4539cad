using Collector.Core.Components;

namespace Collector.Processors.Symbolization;

public sealed class SymbolizationProcessorFactory : ProcessorFactory<SymbolizationOptions>
{
    public override string Type => "symbolization";

    public override string Description => "Names frames in the agent: kernel frames from /proc/kallsyms, native frames from ELF symbol tables (and debug files), JIT frames from /tmp/perf-<pid>.map, Python frames from the code objects in the process.";

    /// <summary>It names frames in mappings that <c>pid_lifecycle</c> places, so it comes after it when both are there.</summary>
    public override ProcessorCapabilities Capabilities { get; } = new()
    {
        Needs = PipelineFacts.ProcessResources,
        Provides = PipelineFacts.FunctionNames,
    };

    protected override IProcessor Create(ComponentCreateSettings settings, SymbolizationOptions options, IProfilesConsumer next) =>
        new SymbolizationProcessor(settings, options, next, new SymbolizerEnvironment
        {
            DebugDirectories = options.DebugDirectories,
            Time = settings.TimeProvider,
        });
}
