using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Processors.Symbolization;
using Collector.Processors.Tests.Caching;
using Collector.Telemetry;

namespace Collector.Processors.Tests.Symbolization;

/// <summary>A private directory standing in for /proc, /tmp and kallsyms, a driven clock, and captured logs.</summary>
public sealed class SymbolizerSandbox : IDisposable
{
    public SymbolizerSandbox()
    {
        Directory.CreateDirectory(ProcRoot);
        Directory.CreateDirectory(PerfMapDirectory);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("symbolize-").FullName;

    public string KallsymsPath => Path.Combine(Root, "kallsyms");

    public string ProcRoot => Path.Combine(Root, "proc");

    public string PerfMapDirectory => Path.Combine(Root, "tmp");

    public SteppedClock Clock { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    internal SymbolizerEnvironment Environment => new()
    {
        KallsymsPath = KallsymsPath,
        ProcRoot = ProcRoot,
        PerfMapDirectory = PerfMapDirectory,
        DebugDirectories = [Path.Combine(Root, "debug")],
        Time = Clock,
    };

    internal ComponentCreateSettings Settings => new()
    {
        Id = ComponentId.Of("symbolization"),
        Kind = ComponentKind.Processor,
        LoggerFactory = Logs,
        TimeProvider = Clock,
    };

    internal SymbolizerTelemetry Telemetry() =>
        new(ComponentTelemetry.Unobserved(ComponentId.Of("symbolization"), ComponentKind.Processor), Logs.CreateLogger("test"), Clock);

    public void WriteKallsyms(params string[] lines) => File.WriteAllLines(KallsymsPath, lines);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
