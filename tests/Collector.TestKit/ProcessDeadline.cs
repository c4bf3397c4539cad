using System.Diagnostics;

namespace Collector.TestKit;

/// <summary>
/// Waits for a workload a test started, within a limit: a workload that does not end (a signal storm, a deadlock, a
/// clock that never reaches its deadline) fails its test, killed with its children, instead of holding up the suite
/// until CI's own timeout.
/// </summary>
public static class ProcessDeadline
{
    /// <summary>
    /// Awaits <paramref name="reading"/> (the test's reads of the process's output, given the deadline's token; none
    /// when null), then the process's exit, both within <paramref name="limit"/>. <paramref name="what"/> names the
    /// process in the failure (its file name when null).
    /// </summary>
    public static async Task WaitForExitAsync(Process process, TimeSpan limit, Func<CancellationToken, Task>? reading = null, string? what = null)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            if (reading is not null) await reading(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var name = what ?? process.StartInfo.FileName;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended just now.
            }
            Assert.Fail($"{name} did not end within {limit.TotalSeconds} s; killed");
        }
    }
}
