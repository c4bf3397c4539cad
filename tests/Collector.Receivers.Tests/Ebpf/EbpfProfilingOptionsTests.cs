using Collector.Core.Components;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

public class EbpfProfilingOptionsTests
{
    [Fact]
    public void Defaults_follow_the_issue()
    {
        var options = new EbpfProfilingOptions();
        Assert.Equal(19, options.SamplesPerSecond);
        Assert.True(options.KernelStacks);
        Assert.True(options.UserBuildIds);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReportInterval);
        Assert.Empty(options.Pids);
        Assert.Empty(options.ProcessNames);
        Assert.Equal("", options.Cgroup);
        Assert.Equal("", options.ContainerId);
        Assert.True(options.ExcludeSelf);
        Assert.Empty(options.Validate());
        Assert.False(options.HasUserSpaceFilters);
    }

    [Fact]
    public void A_full_valid_configuration_passes()
    {
        var options = new EbpfProfilingOptions
        {
            SamplesPerSecond = 99,
            ReportInterval = TimeSpan.FromSeconds(1),
            Pids = [1, 42],
            ProcessNames = ["^java$", "/usr/bin/python3\\.\\d+"],
            Cgroup = "/kubepods/burstable",
            ContainerId = "0123456789ab",
        };
        Assert.Empty(options.Validate());
        Assert.True(options.HasUserSpaceFilters);
    }

    public static TheoryData<EbpfProfilingOptions, string, string> Invalid => new()
    {
        { new EbpfProfilingOptions { SamplesPerSecond = 0 }, "samples_per_second", "between 1 and 10000" },
        { new EbpfProfilingOptions { SamplesPerSecond = 20_000 }, "samples_per_second", "between 1 and 10000" },
        { new EbpfProfilingOptions { ReportInterval = TimeSpan.FromMilliseconds(100) }, "report_interval", "at least 500ms" },
        { new EbpfProfilingOptions { Pids = [0] }, "pids", "0 is not a process id" },
        { new EbpfProfilingOptions { Pids = [.. Enumerable.Range(1, 1025)] }, "pids", "at most 1024" },
        { new EbpfProfilingOptions { ProcessNames = ["ok", "(unclosed"] }, "process_names", "entry 1 \"(unclosed\" is not a valid regular expression" },
        { new EbpfProfilingOptions { Cgroup = "kubepods" }, "cgroup", "must be an absolute cgroup path" },
        { new EbpfProfilingOptions { ContainerId = "abc" }, "container_id", "12 to 64 lowercase hexadecimal digits" },
        { new EbpfProfilingOptions { ContainerId = "0123456789AB" }, "container_id", "12 to 64 lowercase hexadecimal digits" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_values_are_reported_against_their_key(EbpfProfilingOptions options, string key, string message)
    {
        var error = Assert.Single(options.Validate());
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
