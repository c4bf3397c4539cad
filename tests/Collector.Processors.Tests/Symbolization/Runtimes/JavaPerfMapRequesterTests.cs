using System.Diagnostics;
using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Processors.Symbolization.Runtimes;

namespace Collector.Processors.Tests.Symbolization.Runtimes;

/// <summary>The attach handshake with a process that is not there to finish it: counted, logged once, bounded, nothing left behind.</summary>
public sealed class JavaPerfMapRequesterTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_process_that_exits_during_the_handshake_is_a_counted_failure_within_the_deadline()
    {
        // SIGQUIT, which asks a JVM to start its attach listener, ends `sleep`: the process goes away mid-handshake.
        ExternalTools.Require(File.Exists("/usr/bin/sleep"), "/usr/bin/sleep is not installed (Debian package coreutils)");
        using var process = Process.Start("/usr/bin/sleep", "30");
        var logs = new CapturingLoggerFactory();
        var telemetry = new RuntimeRequestTelemetry(ComponentTelemetry.Unobserved(ComponentId.Of("symbolization"), ComponentKind.Processor), logs.CreateLogger("test"));
        var requester = new JavaPerfMapRequester("/proc", telemetry, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        try
        {
            await requester.Missed(process.Id)!;

            Assert.True(clock.Elapsed < JavaPerfMapRequester.HandshakeTimeout + TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
            Assert.Equal(1, telemetry.Count(JavaPerfMapRequester.Runtime, PerfMapRequestOutcome.Failed));
            Assert.True(process.WaitForExit(5000), "SIGQUIT did not reach the process");
            Assert.False(File.Exists($"/tmp/.attach_pid{process.Id}"), "the attach trigger file was left behind");
            Assert.False(requester.TakeRewritten(process.Id));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
