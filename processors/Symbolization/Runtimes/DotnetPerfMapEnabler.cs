using System.Globalization;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>
/// Asks each .NET process (8+) the collector samples to write its perf map, over the runtime's diagnostics IPC
/// socket (<c>dotnet-diagnostic-&lt;pid&gt;-&lt;key&gt;-socket</c> in the process's own temporary directory, reached
/// through <c>/proc/&lt;pid&gt;/root</c> so containers work), so its JIT frames are named without restarting it.
/// The runtime lists the code it compiled so far and then appends as it compiles. Processes that had perf maps
/// on already are left alone; those turned on here are turned off again by <see cref="TurnOffAsync"/>.
/// Each handshake runs on the thread pool under a deadline; the answer is logged once per process.
/// </summary>
internal sealed class DotnetPerfMapEnabler(string procRoot, RuntimeRequestTelemetry telemetry)
{
    public const string Runtime = "dotnet";

    /// <summary>Connect, send, answer: a live runtime answers in milliseconds; one that does not is given up on.</summary>
    internal static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<int, Request> _requests = [];

    /// <summary>Starts asking <paramref name="pid"/> once; the returned task ends when it answered or was given up on.</summary>
    public Task Discovered(int pid)
    {
        if (_requests.TryGetValue(pid, out var known)) return known.Task;
        var request = new Request(pid);
        _requests.Add(pid, request);
        request.Task = Task.Run(() => EnableAsync(request));
        return request.Task;
    }

    /// <summary>Turns perf maps off again in every process that is still running and had them turned on here.</summary>
    public async Task TurnOffAsync()
    {
        var turnedOn = _requests.Values.ToList();
        await Task.WhenAll(turnedOn.Select(r => r.Task)).ConfigureAwait(false);
        await Task.WhenAll(turnedOn.Where(r => r.Socket is not null).Select(DisableAsync)).ConfigureAwait(false);
    }

    private async Task EnableAsync(Request request)
    {
        var pid = request.Pid;
        if (HadPerfMapsOn(pid))
        {
            telemetry.Record(Runtime, PerfMapRequestOutcome.AlreadyOn, pid, "perf maps were on already");
            return;
        }
        var socket = FindSocket(pid);
        if (socket is null)
        {
            telemetry.Record(Runtime, PerfMapRequestOutcome.Disabled, pid, "no diagnostics socket (DOTNET_EnableDiagnostics=0, or the process is gone)");
            return;
        }
        var (outcome, detail) = await SendAsync(socket, DiagnosticsIpc.EnablePerfMap, DiagnosticsIpc.PerfMapOnly).ConfigureAwait(false);
        if (outcome == PerfMapRequestOutcome.Enabled) request.Socket = socket;
        telemetry.Record(Runtime, outcome, pid, detail);
    }

    private async Task DisableAsync(Request request)
    {
        var socket = request.Socket!;
        request.Socket = null; // asked once, even when the collector stops twice
        if (!File.Exists(socket)) return; // the process is gone, and its perf map with it
        var (outcome, detail) = await SendAsync(socket, DiagnosticsIpc.DisablePerfMap, argument: null).ConfigureAwait(false);
        telemetry.Record(Runtime, outcome == PerfMapRequestOutcome.Enabled ? PerfMapRequestOutcome.TurnedOff : outcome, request.Pid, detail);
    }

    private static async Task<(PerfMapRequestOutcome Outcome, string Detail)> SendAsync(string socket, byte command, uint? argument)
    {
        using var deadline = new CancellationTokenSource(HandshakeTimeout);
        try
        {
            var status = await DiagnosticsIpc.SendProcessCommandAsync(socket, command, argument, deadline.Token).ConfigureAwait(false);
            return status == 0
                ? (PerfMapRequestOutcome.Enabled, "")
                : (PerfMapRequestOutcome.Refused, string.Create(CultureInfo.InvariantCulture, $"the runtime answered 0x{status:x8} (perf map commands need .NET 8 or later)"));
        }
        catch (OperationCanceledException)
        {
            return (PerfMapRequestOutcome.Failed, $"no answer within {HandshakeTimeout.TotalSeconds:0} s");
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            return (PerfMapRequestOutcome.Failed, error.Message);
        }
    }

    /// <summary>Perf maps on by the process's environment, or a perf map already written (by the runtime itself, or asked by an earlier run).</summary>
    private bool HadPerfMapsOn(int pid)
    {
        foreach (var name in (ReadOnlySpan<string>)["DOTNET_PerfMapEnabled", "COMPlus_PerfMapEnabled"])
        {
            if (ProcessPaths.Environment(procRoot, pid, name) is { } value && value.Trim() is not ("" or "0")) return true;
        }
        var namespacePid = ProcessPaths.NamespacePid(procRoot, pid).ToString(CultureInfo.InvariantCulture);
        var map = new FileInfo(Path.Combine(ProcessPaths.Tmp(procRoot, pid), $"perf-{namespacePid}.map"));
        // A map written before the process started is another process's that had this pid: runtimes never delete theirs.
        return map.Exists && ProcessPaths.StartTime(procRoot, pid) is { } started && map.LastWriteTimeUtc >= started.AddSeconds(-1);
    }

    /// <summary>The newest diagnostics socket of the process in its temporary directory (its <c>TMPDIR</c>, else /tmp), or null.</summary>
    private string? FindSocket(int pid)
    {
        var tmp = ProcessPaths.Environment(procRoot, pid, "TMPDIR") is { Length: > 1 } own && own.StartsWith('/')
            ? Path.Combine(ProcessPaths.Directory(procRoot, pid), "root", own.TrimStart('/'))
            : ProcessPaths.Tmp(procRoot, pid);
        var namespacePid = ProcessPaths.NamespacePid(procRoot, pid).ToString(CultureInfo.InvariantCulture);
        try
        {
            return new DirectoryInfo(tmp).EnumerateFiles($"dotnet-diagnostic-{namespacePid}-*-socket")
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Select(f => f.FullName)
                .FirstOrDefault();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed class Request(int pid)
    {
        public int Pid { get; } = pid;

        public Task Task { get; set; } = Task.CompletedTask;

        /// <summary>The socket of a runtime that turned perf maps on at our request; null otherwise.</summary>
        public string? Socket { get; set; }
    }
}
