using System.Runtime.InteropServices;
using Collector.Bpf.Native;
using Microsoft.Extensions.Logging;

namespace Collector.Bpf;

/// <summary>
/// Routes libbpf's messages (verifier output, CO-RE and attach failures) to an <see cref="ILogger"/>.
/// libbpf has one print hook per process, so the logger of the most recent <see cref="Route"/> receives them.
/// </summary>
public static unsafe partial class LibbpfLog
{
    private static ILogger? s_logger;
    private static int s_installed;

    public static void Route(ILogger logger)
    {
        Volatile.Write(ref s_logger, logger);
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            _ = LibbpfLogging.SetPrint(&Print);
        }
    }

    [UnmanagedCallersOnly]
    private static int Print(int level, nint format, nint args)
    {
        var logger = Volatile.Read(ref s_logger);
        var logLevel = level switch
        {
            LibbpfLogging.Warn => LogLevel.Warning,
            LibbpfLogging.Info => LogLevel.Debug,
            _ => LogLevel.Trace,
        };
        // Formatting consumes the va_list, so skip it entirely when nobody listens.
        if (logger is null || !logger.IsEnabled(logLevel))
        {
            return 0;
        }
        try
        {
            const int Size = 1024;
            var buffer = stackalloc byte[Size];
            var length = LibbpfLogging.FormatV(buffer, Size, format, args);
            if (length <= 0)
            {
                return 0;
            }
            var text = Marshal.PtrToStringUTF8((nint)buffer, Math.Min(length, Size - 1)).TrimEnd();
            logger.LibbpfMessage(logLevel, text);
            return length;
        }
        catch (Exception)
        {
            // A logging failure must not unwind into libbpf; the message is lost, nothing else.
            return 0;
        }
    }

    // libbpf prefixes its messages with "libbpf: " itself.
    [LoggerMessage(EventId = 100, Message = "{Text}")]
    private static partial void LibbpfMessage(this ILogger logger, LogLevel level, string text);
}
