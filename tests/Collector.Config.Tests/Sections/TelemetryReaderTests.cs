using Collector.Config.Tests.Fakes;

namespace Collector.Config.Tests.Sections;

public sealed class TelemetryReaderTests
{
    /// <summary>The minimal config with a telemetry section whose first line is line 11.</summary>
    private static string WithTelemetry(string telemetry) => TestConfig.Minimal + "\n" + telemetry;

    [Fact]
    public void Levels_are_read_case_insensitively_and_reported_in_lower_case()
    {
        var telemetry = TestConfig.Load(WithTelemetry("""
              telemetry:
                logs: {level: DEBUG}
                metrics: {level: Basic}
            """)).Telemetry;

        Assert.Equal(("debug", "basic", "localhost", 8888), (telemetry.LogLevel, telemetry.MetricsLevel, telemetry.MetricsHost, telemetry.MetricsPort));
    }

    [Fact]
    public void An_empty_section_gives_the_defaults()
    {
        var telemetry = TestConfig.Load(WithTelemetry("  telemetry:")).Telemetry;

        Assert.Equal(("info", "normal", "localhost", 8888), (telemetry.LogLevel, telemetry.MetricsLevel, telemetry.MetricsHost, telemetry.MetricsPort));
    }

    [Fact]
    public void A_prometheus_reader_with_only_a_port_keeps_the_default_host()
    {
        var telemetry = TestConfig.Load(WithTelemetry("""
              telemetry:
                metrics:
                  readers:
                    - pull: {exporter: {prometheus: {port: 9000}}}
            """)).Telemetry;

        Assert.Equal(("localhost", 9000), (telemetry.MetricsHost, telemetry.MetricsPort));
    }

    [Fact]
    public void Readers_are_not_checked_when_metrics_are_off()
    {
        var telemetry = TestConfig.Load(WithTelemetry("""
              telemetry:
                metrics:
                  level: none
                  readers: []
            """)).Telemetry;

        Assert.Equal("none", telemetry.MetricsLevel);
    }

    [Theory]
    [InlineData("""
          telemetry:
            metrics:
              readers: []
        """, "service::telemetry::metrics::readers: exactly one reader is supported: a pull reader with a prometheus exporter (x.yaml:13)")]
    [InlineData("""
          telemetry:
            metrics:
              readers:
                - pull: {exporter: {prometheus: {port: 9000}}}
                - pull: {exporter: {prometheus: {port: 9001}}}
        """, "service::telemetry::metrics::readers: exactly one reader is supported: a pull reader with a prometheus exporter (x.yaml:13)")]
    [InlineData("""
          telemetry:
            metrics:
              readers:
                - pull: {exporter: {}}
        """, "service::telemetry::metrics::readers::0: only a pull reader with a prometheus exporter is supported, as in {pull: {exporter: {prometheus: {host: localhost, port: 8888}}}} (x.yaml:14)")]
    [InlineData("""
          telemetry:
            metrics:
              readers:
                - periodic: {interval: 10s}
        """, "service::telemetry::metrics::readers::0: unknown key \"periodic\" (x.yaml:14)")]
    [InlineData("""
          telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: localhost
                        port: 70000
        """, "service::telemetry::metrics::readers::0::pull::exporter::prometheus::port: must be between 1 and 65535 (x.yaml:18)")]
    [InlineData("""
          telemetry:
            metrics:
              readers:
                - pull: {exporter: {prometheus: {host: "", without_units: true}}}
        """, "service::telemetry::metrics::readers::0::pull::exporter::prometheus: unknown key \"without_units\" (x.yaml:14)")]
    [InlineData("""
          telemetry:
            metrics:
              readers:
                - pull: {exporter: {prometheus: {host: " ", port: 9000}}}
        """, "service::telemetry::metrics::readers::0::pull::exporter::prometheus::host: must not be empty (x.yaml:14)")]
    [InlineData("""
          telemetry:
            metrics:
              level: verbose
        """, "service::telemetry::metrics::level: expected one of: none, basic, normal, detailed, got \"verbose\" (x.yaml:13)")]
    [InlineData("""
          telemetry:
            logs:
              encoding: json
        """, "service::telemetry::logs: unknown key \"encoding\" (x.yaml:13)")]
    [InlineData("""
          telemetry: [logs]
        """, "service::telemetry: expected a mapping, got a sequence (x.yaml:11)")]
    public void Rejects_what_the_settings_cannot_carry(string telemetry, string expected)
    {
        Assert.Equal([expected], TestConfig.Errors(WithTelemetry(telemetry)));
    }
}
