using Collector.Telemetry;
namespace Collector.Core.Telemetry.Pipeline;

/// <summary>
/// Marks an exporter that records its own outcomes through <see cref="ComponentTelemetry.ExporterOutcomes"/>,
/// because <c>ConsumeAsync</c> returning does not mean the data went out (it was queued or buffered, and sent
/// or lost later). The pipeline graph then leaves it unwrapped; the exporter must record every sent, failed and
/// refused sample itself.
/// </summary>
public interface IReportsSendOutcomes;
