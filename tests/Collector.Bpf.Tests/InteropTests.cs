using Collector.Bpf.Native;
using Collector.Bpf.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Collector.Bpf.Tests;

/// <summary>libbpf and syscall interop: errors carry errno and libbpf's text, libbpf's log reaches our logger.</summary>
[Collection(BpfCollection.Name)]
public class InteropTests(ITestOutputHelper output)
{
    [Fact]
    public void Errors_are_described_by_libbpf()
    {
        Assert.Equal("Operation not permitted", LibbpfErrors.Describe(1));
        Assert.Equal("Operation not permitted", LibbpfErrors.Describe(-1));
        // 4001 is LIBBPF_ERRNO__FORMAT, a code only libbpf knows.
        Assert.Equal("BPF object format invalid", LibbpfErrors.Describe(4001));
    }

    [Fact]
    public void Opening_a_non_elf_buffer_throws_with_errno_and_libbpf_message_and_logs_through_the_callback()
    {
        var logger = new TestOutputLogger(output);
        LibbpfLog.Route(logger);

        var error = Assert.Throws<BpfException>(() => BpfObjectHandle.Open("not an ELF object"u8, "garbage"));

        output.WriteLine(error.Message);
        Assert.NotEqual(0, error.Errno);
        Assert.StartsWith("opening the BPF object \"garbage\" failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(errno {error.Errno})", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.LibbpfMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("libbpf: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_embedded_object_opens_from_memory_without_privileges()
    {
        using var obj = BpfObjectHandle.Open(ProfilerObject.Load(), "profiler");
        Assert.False(obj.IsInvalid);
        Assert.NotEqual(0, LibbpfObjects.FindProgram(obj, "sample_cpu"));
        Assert.NotEqual(0, LibbpfObjects.FindMap(obj, "records"));
        Assert.Equal(0, LibbpfObjects.FindProgram(obj, "no_such_program"));
    }

    [Fact]
    public void Kernel_clock_matches_the_runtime_and_yields_a_plausible_boot_time()
    {
        var before = (ulong)System.Diagnostics.Stopwatch.GetTimestamp();
        var monotonic = KernelClock.MonotonicNanos();
        var after = (ulong)System.Diagnostics.Stopwatch.GetTimestamp();
        // .NET's Stopwatch reads CLOCK_MONOTONIC in nanoseconds on Linux.
        Assert.InRange(monotonic, before, after);

        var bootUnix = KernelClock.BootTimeUnixNanos();
        var nowUnix = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L);
        Assert.InRange(bootUnix + KernelClock.MonotonicNanos(), nowUnix - 50_000_000, nowUnix + 50_000_000);
    }

    [Fact]
    public void Without_capabilities_the_failures_name_them()
    {
        Prerequisites.Bpf();
        var (preflight, perf, start) = ThreadCapabilities.RunWithoutBpfCapabilities(() =>
        {
            var preflightError = Assert.Throws<BpfException>(KernelRequirements.Check);
            var attr = new PerfEventAttr { Type = PerfEvents.TypeSoftware, Size = PerfEventAttr.SizeVer0, Config = PerfEvents.ConfigCpuClock, SampleFrequency = 19, Flags = PerfEvents.FlagDisabled | PerfEvents.FlagFrequency };
            var fd = PerfEvents.Open(ref attr, pid: -1, cpu: 0);
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            var perfError = fd < 0 ? BpfException.FromErrno("perf_event_open", errno, ErrnoHints.ForPerfEvent(errno, 0)) : null;
            if (fd >= 0)
            {
                PerfEvents.Close(fd);
            }
            var startError = Assert.Throws<BpfException>(() => KernelProfiler.Start(new KernelProfilerSettings { SamplesPerSecond = 19 }, new NullSink(), new TestOutputLogger(output)));
            return (preflightError, perfError, startError);
        });
        output.WriteLine(preflight.Message);
        output.WriteLine(perf?.Message ?? "perf_event_open succeeded");
        Assert.StartsWith("Missing capabilities CAP_BPF and CAP_PERFMON", preflight.Message, StringComparison.Ordinal);
        Assert.Equal(preflight.Message, start.Message);
        Assert.NotNull(perf);
        Assert.Contains(perf.Errno, new[] { ErrnoHints.EACCES, ErrnoHints.EPERM });
        Assert.Contains("CAP_PERFMON", perf.Message, StringComparison.Ordinal);
    }

    private sealed class NullSink : IRecordSink
    {
        public void OnSample(in SampleRecordView sample)
        {
        }

        public void OnProcessEvent(in ProcessEventRecordView processEvent)
        {
        }
    }
}
