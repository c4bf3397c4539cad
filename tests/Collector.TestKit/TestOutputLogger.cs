using Microsoft.Extensions.Logging;

namespace Collector.TestKit;

/// <summary>
/// Writes log entries to the test output, so a failing test shows what the component said, and keeps them for
/// assertions. Entries below <paramref name="minimum"/> are neither written nor kept.
/// </summary>
public sealed class TestOutputLogger(ITestOutputHelper output, LogLevel minimum = LogLevel.Debug, string? category = null) : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_gate) return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        lock (_gate) _entries.Add((logLevel, message));
        var prefix = category is null ? $"{logLevel}:" : $"[{logLevel} {category}]";
        try
        {
            output.WriteLine($"{prefix} {message}{(exception is null ? "" : $" ({exception.Message})")}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished and closed its output.
        }
    }
}

/// <summary>Loggers that write to the test output; Information and above by default, so libbpf's debug chatter stays out.</summary>
public sealed class TestOutputLoggerFactory(ITestOutputHelper output, LogLevel minimum = LogLevel.Information) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, minimum, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
