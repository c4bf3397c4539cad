using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>
/// Asks HotSpot JVMs (17+) to write <c>/tmp/perf-&lt;pid&gt;.map</c> with the <c>Compiler.perfmap</c> diagnostic
/// command, over the dynamic attach protocol <c>jcmd</c> uses: when the JVM's socket <c>.java_pid&lt;pid&gt;</c> is
/// not in its /tmp yet, create <c>.attach_pid&lt;pid&gt;</c> there and send SIGQUIT, which makes the JVM start its
/// attach listener; then send <c>1\0jcmd\0Compiler.perfmap\0\0\0</c> and read the answer (<c>0</c> first on
/// success). The JVM writes the whole map each time, listing what its code cache holds then, so a frame that
/// still misses asks again, at most once per <see cref="MinimumInterval"/> per process. A JVM started with
/// <c>-XX:+DisableAttachMechanism</c> (or <c>-Xrs</c>, where SIGQUIT would end it) is never signalled.
/// </summary>
internal sealed class JavaPerfMapRequester(string procRoot, RuntimeRequestTelemetry telemetry, TimeProvider time)
{
    public const string Runtime = "java";

    internal static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long the JVM gets to start its attach listener and to write the map.</summary>
    internal static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<int, Request> _requests = [];

    /// <summary>The dump in flight for <paramref name="pid"/>, a new one when the last is old enough, or null when it may not be asked (again).</summary>
    public Task? Missed(int pid)
    {
        if (_requests.TryGetValue(pid, out var request))
        {
            if (!request.Task.IsCompleted || request.Outcome is not PerfMapRequestOutcome.Enabled) return request.Task;
            if (time.GetElapsedTime(request.StartedAt) < MinimumInterval) return null;
        }
        else
        {
            request = new Request();
            _requests.Add(pid, request);
        }
        request.StartedAt = time.GetTimestamp();
        request.Task = Task.Run(() => DumpAsync(pid, request));
        return request.Task;
    }

    /// <summary>True once after each completed dump: the map was rewritten, not appended to, and must be read from its start.</summary>
    public bool TakeRewritten(int pid)
    {
        if (!_requests.TryGetValue(pid, out var request) || !request.Task.IsCompleted || !request.Rewritten) return false;
        request.Rewritten = false;
        return true;
    }

    private async Task DumpAsync(int pid, Request request)
    {
        var first = request.Outcome is null;
        var (outcome, detail) = await RunAsync(pid).ConfigureAwait(false);
        request.Rewritten = outcome == PerfMapRequestOutcome.Enabled;
        // Counted each time; logged (by the telemetry) for the first answer and for any later failure only.
        if (first || outcome != PerfMapRequestOutcome.Enabled) telemetry.Record(Runtime, outcome, pid, detail);
        request.Outcome = outcome;
    }

    private async Task<(PerfMapRequestOutcome Outcome, string Detail)> RunAsync(int pid)
    {
        if (AttachRefused(pid) is { } option) return (PerfMapRequestOutcome.Disabled, $"started with {option}");
        var namespacePid = ProcessPaths.NamespacePid(procRoot, pid).ToString(CultureInfo.InvariantCulture);
        var tmp = ProcessPaths.Tmp(procRoot, pid);
        var socketPath = Path.Combine(tmp, $".java_pid{namespacePid}");
        using var deadline = new CancellationTokenSource(HandshakeTimeout);
        try
        {
            // The trigger by a path that outlives the process, so it is removed even when the process dies mid-handshake.
            var triggerPath = Path.Combine(ProcessPaths.DurableTmp(procRoot, pid), $".attach_pid{namespacePid}");
            if (!File.Exists(socketPath)) await StartAttachListenerAsync(pid, triggerPath, socketPath, deadline.Token).ConfigureAwait(false);
            var answer = await SendAsync(socketPath, deadline.Token).ConfigureAwait(false);
            return answer.StartsWith("0\n", StringComparison.Ordinal) || answer == "0"
                ? (PerfMapRequestOutcome.Enabled, "")
                : (PerfMapRequestOutcome.Refused, $"the JVM answered \"{answer.Trim().Replace('\n', ' ')}\"");
        }
        catch (OperationCanceledException)
        {
            return (PerfMapRequestOutcome.Failed, $"no attach listener or answer within {HandshakeTimeout.TotalSeconds:0} s");
        }
        catch (Exception error) when (error is IOException or SocketException or UnauthorizedAccessException)
        {
            return (PerfMapRequestOutcome.Failed, error.Message);
        }
    }

    private static async Task StartAttachListenerAsync(int pid, string triggerPath, string socketPath, CancellationToken cancellationToken)
    {
        // Created by root, which HotSpot accepts as the trigger's owner besides its own user.
        await File.WriteAllBytesAsync(triggerPath, [], cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Signals.Quit(pid)) throw new IOException("the process is gone");
            while (!File.Exists(socketPath)) await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(triggerPath);
        }
    }

    private static async Task<string> SendAsync(string socketPath, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync("1\0jcmd\0Compiler.perfmap\0\0\0"u8.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (answer.Length < 64 * 1024) answer.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
    }

    /// <summary>The command-line option that forbids attaching (or makes SIGQUIT fatal), or null.</summary>
    private string? AttachRefused(int pid)
    {
        var options = new StringBuilder();
        try
        {
            options.Append(File.ReadAllText(Path.Combine(ProcessPaths.Directory(procRoot, pid), "cmdline")).Replace('\0', ' '));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone: the handshake will say so.
        }
        foreach (var name in (ReadOnlySpan<string>)["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"])
        {
            options.Append(' ').Append(ProcessPaths.Environment(procRoot, pid, name));
        }
        var text = options.ToString();
        // The last occurrence of the flag wins, as in HotSpot's own parsing.
        var disabled = text.LastIndexOf("-XX:+DisableAttachMechanism", StringComparison.Ordinal);
        if (disabled >= 0 && disabled > text.LastIndexOf("-XX:-DisableAttachMechanism", StringComparison.Ordinal)) return "-XX:+DisableAttachMechanism";
        return text.Split(' ').Contains("-Xrs") ? "-Xrs" : null;
    }

    private sealed class Request
    {
        public Task Task { get; set; } = Task.CompletedTask;

        public long StartedAt { get; set; }

        public PerfMapRequestOutcome? Outcome { get; set; }

        public bool Rewritten { get; set; }
    }
}
