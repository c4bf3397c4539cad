using System.Globalization;
using System.Text.Json;
using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Extensions.HealthCheck;

/// <summary>The Collector's legacy health check body: status, and while available the start time and uptime.</summary>
internal static class HealthResponse
{
    public const string Available = "Server available";
    public const string NotAvailable = "Server not available";

    public static byte[] Body(HealthReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Healthy ? Available : NotAvailable);
            if (report.Healthy && report.RunningSince is { } since)
            {
                // RFC 3339 with as many fraction digits as needed, as Go writes a time.
                json.WriteString("upSince", since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                json.WriteString("uptime", GoDuration.Format(report.Uptime));
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
