using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Collector.Processors.Symbolization.Runtimes;

namespace Collector.Processors.Tests.Symbolization.Runtimes;

/// <summary>
/// The diagnostics IPC exchange against a socket that plays the runtime: a good answer, an error answer, a runtime
/// that goes away in the middle of the handshake, one that never answers, and garbage. Each ends with a status or
/// an exception the enabler counts, within the deadline.
/// </summary>
public sealed class DiagnosticsIpcTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private int _sockets;

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task A_runtime_that_accepts_gets_the_command_and_its_ok_answer_is_status_zero()
    {
        byte[]? request = null;
        var socket = Serve(async connection =>
        {
            request = await ReceiveAsync(connection, 24);
            await connection.SendAsync(Answer(ok: true, status: 0), SocketFlags.None);
        });

        var status = await DiagnosticsIpc.SendProcessCommandAsync(socket, DiagnosticsIpc.EnablePerfMap, DiagnosticsIpc.PerfMapOnly, TestContext.Current.CancellationToken);

        Assert.Equal(0u, status);
        Assert.Equal("DOTNET_IPC_V1\0"u8.ToArray(), request![..14]);
        Assert.Equal(24, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(14)));
        Assert.Equal([0x04, DiagnosticsIpc.EnablePerfMap], request[16..18]);
        Assert.Equal(DiagnosticsIpc.PerfMapOnly, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(20)));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_error_answer_returns_the_runtimes_hresult()
    {
        var socket = Serve(async connection =>
        {
            await ReceiveAsync(connection, 24);
            await connection.SendAsync(Answer(ok: false, status: 0x80131384), SocketFlags.None);
        });

        Assert.Equal(0x80131384u, await DiagnosticsIpc.SendProcessCommandAsync(socket, DiagnosticsIpc.EnablePerfMap, DiagnosticsIpc.PerfMapOnly, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_process_that_exits_during_the_handshake_is_an_io_error_not_a_hang()
    {
        // The runtime reads the command, writes half an answer, and is gone.
        var socket = Serve(async connection =>
        {
            await ReceiveAsync(connection, 24);
            await connection.SendAsync(Answer(ok: true, status: 0)[..10], SocketFlags.None);
        });

        var error = await Assert.ThrowsAsync<IOException>(() => DiagnosticsIpc.SendProcessCommandAsync(socket, DiagnosticsIpc.EnablePerfMap, DiagnosticsIpc.PerfMapOnly, TestContext.Current.CancellationToken));
        Assert.Contains("closed the connection after 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_socket_left_behind_by_a_process_that_is_gone_refuses_the_connection()
    {
        var path = _directory.File("gone");
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
        }

        await Assert.ThrowsAsync<SocketException>(() => DiagnosticsIpc.SendProcessCommandAsync(path, DiagnosticsIpc.EnablePerfMap, DiagnosticsIpc.PerfMapOnly, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_runtime_that_never_answers_is_given_up_on_at_the_deadline()
    {
        using var release = new SemaphoreSlim(0);
        var socket = Serve(async connection =>
        {
            await ReceiveAsync(connection, 24);
            await release.WaitAsync();
        });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DiagnosticsIpc.SendProcessCommandAsync(socket, DiagnosticsIpc.EnablePerfMap, DiagnosticsIpc.PerfMapOnly, deadline.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"gave up after {clock.Elapsed}");
        release.Release();
    }

    [Fact(Timeout = 30_000)]
    public async Task An_answer_that_is_not_a_diagnostics_response_is_an_io_error()
    {
        var socket = Serve(async connection =>
        {
            await ReceiveAsync(connection, 20); // a command without argument is the header alone
            await connection.SendAsync(new byte[24], SocketFlags.None);
        });

        var error = await Assert.ThrowsAsync<IOException>(() => DiagnosticsIpc.SendProcessCommandAsync(socket, DiagnosticsIpc.DisablePerfMap, argument: null, TestContext.Current.CancellationToken));
        Assert.Contains("not a diagnostics IPC response", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Listens on a socket in the test directory and runs <paramref name="runtime"/> for the first connection, then closes it.</summary>
    private string Serve(Func<Socket, Task> runtime)
    {
        // Unix socket paths have 108 bytes at most: a short name in the test directory.
        var path = _directory.File($"s{Interlocked.Increment(ref _sockets)}");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        _ = Task.Run(async () =>
        {
            using (listener)
            using (var connection = await listener.AcceptAsync())
            {
                await runtime(connection);
            }
        });
        return path;
    }

    private static async Task<byte[]> ReceiveAsync(Socket connection, int length)
    {
        var buffer = new byte[length];
        var received = 0;
        while (received < length)
        {
            var read = await connection.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
            if (read == 0) break;
            received += read;
        }
        return buffer[..received];
    }

    /// <summary>A server response: header with command set 0xFF, id 0x00 (OK) or 0xFF (error), then a uint32 status.</summary>
    private static byte[] Answer(bool ok, uint status)
    {
        var answer = new byte[24];
        "DOTNET_IPC_V1\0"u8.CopyTo(answer);
        BinaryPrimitives.WriteUInt16LittleEndian(answer.AsSpan(14), 24);
        answer[16] = 0xFF;
        answer[17] = ok ? (byte)0x00 : (byte)0xFF;
        BinaryPrimitives.WriteUInt32LittleEndian(answer.AsSpan(20), status);
        return answer;
    }
}
