using System.Diagnostics;

namespace Collector.Core.Tests.TestKit;

/// <summary>The deadline the live tests wait for their workloads with (Collector.TestKit's ProcessDeadline).</summary>
public sealed class ProcessDeadlineTests
{
    [Fact]
    public async Task A_process_that_outlives_the_limit_is_killed_and_fails_the_test()
    {
        using var sleeper = Process.Start("/bin/sleep", "60")!;
        var started = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ProcessDeadline.WaitForExitAsync(sleeper, TimeSpan.FromSeconds(1)));

        Assert.Contains("/bin/sleep did not end within 1 s; killed", failure.Message, StringComparison.Ordinal);
        Assert.True(sleeper.WaitForExit(5000), "the process was not killed");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_process_that_ends_in_time_is_waited_for_with_its_output_read()
    {
        using var echo = Process.Start(new ProcessStartInfo("/bin/echo", "done") { RedirectStandardOutput = true })!;
        var output = "";

        await ProcessDeadline.WaitForExitAsync(echo, TimeSpan.FromSeconds(30), async token => output = await echo.StandardOutput.ReadToEndAsync(token));

        Assert.Equal("done\n", output);
        Assert.True(echo.HasExited);
    }
}
