using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Processors.PidLifecycle;
using Collector.Telemetry;

namespace Collector.Processors.Tests.PidLifecycle.Support;

/// <summary>A pid_lifecycle processor over a /proc tree (usually a <see cref="FakeProc"/>), with a consumer that keeps what it receives and helpers to build batches.</summary>
internal sealed class Harness : IDisposable
{
    public Harness(string procRoot, int maxProcesses = PidLifecycleOptions.DefaultMaxProcesses, CollectorTelemetry? telemetry = null)
    {
        var settings = Settings.For("pid_lifecycle", ComponentKind.Processor, Time, Logs, telemetry);
        var options = new PidLifecycleOptions { ProcRoot = procRoot, MaxProcesses = maxProcesses };
        Processor = (PidLifecycleProcessor)new PidLifecycleProcessorFactory().CreateProcessor(settings, options, Downstream);
    }

    public CapturingLoggerFactory Logs { get; } = new();

    public ManualTimeProvider Time { get; } = new();

    /// <summary>Keeps each batch the processor passes on; its <see cref="CapturingConsumer.OnBatch"/> can check the executables are still readable while it holds the batch.</summary>
    public CapturingConsumer Downstream { get; } = new();

    public PidLifecycleProcessor Processor { get; }

    public PidLifecycleStatistics Statistics => Processor.Statistics;

    public ProfileBatch Send(IEnumerable<RawSample> samples, IEnumerable<ProcessEvent>? events = null, ulong? watermark = null)
    {
        var batch = new ProfileBatch
        {
            Raw = new RawSampleSet { BootTimeUnixNano = BootTimeUnixNano, PeriodNanos = 52_631_578, Samples = [.. samples] },
            ProcessEvents = [.. events ?? []],
            WatermarkKtimeNanos = watermark,
        };
        Processor.ConsumeAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return batch;
    }

    public static RawSample Sample(int pid, ulong startTicks, ulong ktime, ulong[] user, ulong[]? kernel = null, UserFrameOrigin[]? origins = null) =>
        new(pid, pid, 0, ktime, "worker", kernel ?? [], user)
        {
            ProcessStartNanos = startTicks * FakeProc.NanosPerTick,
            UserFrameOrigins = origins ?? [],
        };

    public static ProcessEvent Exit(int pid, ulong startTicks, ulong ktime) =>
        new(ProcessEventKind.Exit, pid, 1, ktime, "worker") { ProcessStartNanos = startTicks * FakeProc.NanosPerTick };

    public static ProcessEvent Fork(int pid, int parent, ulong startTicks, ulong ktime) =>
        new(ProcessEventKind.Fork, pid, parent, ktime, "worker") { ProcessStartNanos = startTicks * FakeProc.NanosPerTick };

    public static ProcessEvent Exec(int pid, ulong startTicks, ulong ktime, string filename) =>
        new(ProcessEventKind.Exec, pid, 1, ktime, "worker") { ProcessStartNanos = startTicks * FakeProc.NanosPerTick, Filename = filename };

    public const ulong BootTimeUnixNano = 1_000_000_000_000;

    /// <summary>Every user frame of a pid's resources: the sample's kernel time (once per timestamp), the resource's executable path, the location.</summary>
    public static IEnumerable<(ulong Ktime, string? Executable, Location Location)> UserFrames(ProfileBatch batch, int pid)
    {
        foreach (var resource in batch.ResourceProfiles)
        {
            var attributes = resource.Resource!.Attributes;
            if (attributes.First(a => a.Key == SemanticConventions.ProcessPid).Value!.IntValue != pid) continue;
            var executable = attributes.FirstOrDefault(a => a.Key == SemanticConventions.ProcessExecutablePath)?.Value!.StringValue;
            foreach (var sample in resource.ScopeProfiles.SelectMany(s => s.Profiles).SelectMany(p => p.Samples))
            {
                foreach (var timestamp in sample.TimestampsUnixNano)
                {
                    foreach (var location in sample.Stack.Locations)
                    {
                        if (FrameType(location) != SemanticConventions.FrameTypeKernel) yield return (timestamp - BootTimeUnixNano, executable, location);
                    }
                }
            }
        }
    }

    public static string? FrameType(Location location) =>
        location.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.FrameType)?.Value!.StringValue;

    public static string? BuildId(Mapping? mapping) => mapping is null ? null : ExecutableFile.KeyOf(mapping);

    public void Dispose() => Processor.ShutdownAsync(CancellationToken.None).GetAwaiter().GetResult();
}
