using System.Numerics;

namespace Collector.Bpf.Tests;

/// <summary>The ring buffer holds a late poll's worth of samples and of process churn, within fixed bounds.</summary>
public class RingBufferSizeTests
{
    [Theory]
    [InlineData(19, 1)]
    [InlineData(19, 2)]
    [InlineData(99, 8)]
    [InlineData(19, 64)]
    public void Size_is_a_power_of_two_within_bounds(int samplesPerSecond, int cpus)
    {
        var bytes = KernelProfiler.RingBufferSize(samplesPerSecond, cpus);

        Assert.True(BitOperations.IsPow2(bytes), $"{bytes} is not a power of two");
        Assert.InRange(bytes, 256 << 10, 64 << 20);
    }

    [Fact]
    public void Two_cpus_hold_two_seconds_of_full_samples_and_of_a_thousand_processes_a_second_per_cpu()
    {
        var bytes = KernelProfiler.RingBufferSize(19, 2);

        // Full samples: 56-byte header, 254 addresses and 127 origins; short-lived processes: fork and exit
        // records of 64 bytes and an exec record with its path, each behind the kernel's 8-byte header.
        const long FullSample = 56 + (254 * 8) + (127 * 32) + 8;
        const long Process = (3 * (64 + 8)) + 64;
        Assert.True(bytes >= (2 * 2 * 19 * FullSample) + (2 * 2 * 1000 * Process), $"{bytes} bytes");
        Assert.Equal(2 << 20, bytes);
    }

    [Fact]
    public void More_cpus_get_more_room()
    {
        Assert.True(KernelProfiler.RingBufferSize(19, 16) > KernelProfiler.RingBufferSize(19, 2));
    }

    [Fact]
    public void Churn_room_stops_growing_at_sixteen_cpus()
    {
        // 64 CPUs: 15 MB of full samples and 9 MB of churn (not 36 MB) fit 32 MiB.
        Assert.Equal(32 << 20, KernelProfiler.RingBufferSize(19, 64));
    }
}
