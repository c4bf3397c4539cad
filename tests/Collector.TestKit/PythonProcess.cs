using System.Diagnostics;

namespace Collector.TestKit;

/// <summary>
/// A live interpreter running a test script. The script reports what it knows about itself as the first line of its
/// standard output, then keeps running until its standard input closes (on dispose), so the test reads a process
/// in the state the report describes.
/// </summary>
public sealed class PythonProcess : IDisposable
{
    private readonly Process _process;

    private PythonProcess(Process process, string report)
    {
        _process = process;
        Report = report;
    }

    private bool _disposed;

    public int Pid => _process.Id;

    /// <summary>The first line the script printed.</summary>
    public string Report { get; }

    /// <summary>Starts <paramref name="interpreter"/> on <paramref name="script"/> and waits (30 s at most) for its report line.</summary>
    public static PythonProcess Start(PythonInterpreter interpreter, string script)
    {
        var start = new ProcessStartInfo(interpreter.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result is null)
        {
            var error = process.HasExited ? process.StandardError.ReadToEnd() : "(still running)";
            process.Kill();
            process.Dispose();
            Assert.Fail($"{interpreter} printed no report: {error}");
        }
        return new PythonProcess(process, line.Result!);
    }

    /// <summary>Ends the script (its stdin closes) and waits for it; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
