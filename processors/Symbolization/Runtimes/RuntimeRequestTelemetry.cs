using Collector.Core.Telemetry;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>
/// Counts what came of asking runtimes for perf maps, by runtime and outcome, and logs one line per process
/// and outcome. Handshakes end on the thread pool, so this is thread-safe.
/// </summary>
internal sealed class RuntimeRequestTelemetry(ComponentTelemetry telemetry, ILogger logger)
{
    private readonly Dictionary<(string Runtime, PerfMapRequestOutcome Outcome), TelemetryCounter> _counters = [];
    private readonly Dictionary<(string Runtime, PerfMapRequestOutcome Outcome), long> _counts = [];
    private readonly Lock _gate = new();

    public long Count(string runtime, PerfMapRequestOutcome outcome)
    {
        lock (_gate) return _counts.GetValueOrDefault((runtime, outcome));
    }

    public void Record(string runtime, PerfMapRequestOutcome outcome, int pid, string detail)
    {
        TelemetryCounter counter;
        lock (_gate)
        {
            if (!_counters.TryGetValue((runtime, outcome), out counter!))
            {
                counter = telemetry.Counter(SymbolizationMetrics.PerfMapRequests,
                    (SymbolizationMetrics.RuntimeLabel, runtime), (SymbolizationMetrics.OutcomeLabel, outcome.Label()));
                _counters.Add((runtime, outcome), counter);
            }
            _counts[(runtime, outcome)] = _counts.GetValueOrDefault((runtime, outcome)) + 1;
        }
        counter.Add(1);
        if (outcome is PerfMapRequestOutcome.Enabled or PerfMapRequestOutcome.TurnedOff or PerfMapRequestOutcome.AlreadyOn)
        {
            logger.PerfMapRequestSucceeded(runtime, pid, outcome.Label());
        }
        else
        {
            logger.PerfMapRequestFailed(runtime, pid, outcome.Label(), detail);
        }
    }

    /// <summary>One line with every count, for the processor's shutdown summary.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var text = string.Join(", ", _counts.OrderBy(c => c.Key.Runtime, StringComparer.Ordinal).ThenBy(c => c.Key.Outcome)
                .Select(c => $"{c.Key.Runtime} {c.Key.Outcome.Label()} {c.Value}"));
            return text.Length == 0 ? "none" : text;
        }
    }
}
