using System.Diagnostics;

namespace Collector.Host.Tests.Support;

/// <summary>A shell process that spins for a while, so a whole-machine profile has something to sample.</summary>
public sealed class BusyLoop : IDisposable
{
    private readonly Process _process;

    private BusyLoop(Process process)
    {
        _process = process;
    }

    public static BusyLoop Start(TimeSpan duration)
    {
        // One process spinning, no fork per iteration: a flood of exec events would be a different test.
        var info = new ProcessStartInfo("timeout") { UseShellExecute = false };
        info.ArgumentList.Add(((int)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("/bin/sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("while :; do :; done");
        return new BusyLoop(Process.Start(info)!);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
