using System.Buffers.Binary;
using System.Net.Sockets;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>
/// The one exchange of the .NET diagnostics IPC protocol the collector needs: a command of the Process command
/// set over the runtime's Unix socket, answered by a status. Every message starts with a 20-byte header: the
/// magic <c>DOTNET_IPC_V1\0</c>, the total size (uint16), the command set and command id (a byte each) and a
/// reserved uint16; integers are little-endian. The answer has command set 0xFF, id 0x00 (OK) or 0xFF (error),
/// and a uint32 HRESULT. Written here rather than taken from Microsoft.Diagnostics.NETCore.Client so the Native
/// AOT build carries no reflection-heavy dependency for 40 bytes of traffic.
/// </summary>
internal static class DiagnosticsIpc
{
    private const int HeaderSize = 20;
    private const byte ProcessCommandSet = 0x04;
    private const byte ServerCommandSet = 0xFF;
    private const byte ResponseOk = 0x00;

    public const byte EnablePerfMap = 0x05;
    public const byte DisablePerfMap = 0x06;

    /// <summary>Perf map kind for <see cref="EnablePerfMap"/>: the perf-&lt;pid&gt;.map text file only (no jitdump).</summary>
    public const uint PerfMapOnly = 3;

    private static ReadOnlySpan<byte> Magic => "DOTNET_IPC_V1\0"u8;

    /// <summary>Sends a Process command and returns the runtime's HRESULT (0 is success). Throws on a socket error, a malformed answer or the deadline.</summary>
    public static async Task<uint> SendProcessCommandAsync(string socketPath, byte commandId, uint? argument, CancellationToken cancellationToken)
    {
        var message = new byte[HeaderSize + (argument is null ? 0 : 4)];
        Magic.CopyTo(message);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(14), (ushort)message.Length);
        message[16] = ProcessCommandSet;
        message[17] = commandId;
        if (argument is { } value) BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(HeaderSize), value);

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        var answer = new byte[HeaderSize + 4];
        var received = 0;
        while (received < answer.Length)
        {
            var read = await socket.ReceiveAsync(answer.AsMemory(received), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0) throw new IOException($"the runtime closed the connection after {received} bytes of its answer");
            received += read;
        }
        if (!answer.AsSpan(0, Magic.Length).SequenceEqual(Magic) || answer[16] != ServerCommandSet)
        {
            throw new IOException("the answer is not a diagnostics IPC response");
        }
        var status = BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(HeaderSize));
        return answer[17] == ResponseOk ? 0 : (status == 0 ? uint.MaxValue : status);
    }
}
