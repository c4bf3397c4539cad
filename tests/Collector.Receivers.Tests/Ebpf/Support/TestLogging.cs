using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>Loggers that write to the test output (Information and above: libbpf's debug chatter stays out).</summary>
internal sealed class TestLoggerFactory(ITestOutputHelper output) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class OutputLogger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"[{logLevel} {category}] {formatter(state, exception)}{(exception is null ? "" : $" ({exception.Message})")}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished and closed its output.
            }
        }
    }
}
