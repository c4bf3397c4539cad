using Collector.Config.Tests.Fakes;

namespace Collector.Config.Tests.Sections;

/// <summary>Shapes of <c>service::pipelines</c> and <c>service::extensions</c> beyond the common mistakes in the big table.</summary>
public sealed class PipelinesReaderTests
{
    /// <summary>Components on lines 1-7, <c>service:</c> on line 8, the given service body from line 9 on.</summary>
    private static string WithService(string body) => """
        receivers:
          otlp_json_file:
            path: /tmp/in.json
        exporters:
          debug:
        extensions:
          pprof:
        service:

        """ + body;

    [Theory]
    [InlineData("""
          extensions: [pprof]
          pipelines:
            profiles:
        """, new[]
        {
            "receivers::otlp_json_file: defined but not used in any pipeline (x.yaml:2)",
            "exporters::debug: defined but not used in any pipeline (x.yaml:5)",
            "service::pipelines::profiles: must have at least one receiver (x.yaml:11)",
            "service::pipelines::profiles: must have at least one exporter (x.yaml:11)",
        })]
    [InlineData("""
          extensions: [pprof]
          pipelines: [profiles]
        """, new[] { "service::pipelines: expected a mapping of pipeline ids to pipelines, got a sequence (x.yaml:10)" })]
    [InlineData("""
          extensions: [pprof]
          pipelines:
            profiles: [otlp_json_file, debug]
        """, new[]
        {
            "receivers::otlp_json_file: defined but not used in any pipeline (x.yaml:2)",
            "exporters::debug: defined but not used in any pipeline (x.yaml:5)",
            "service::pipelines::profiles: expected a mapping with receivers, processors and exporters, got a sequence (x.yaml:11)",
        })]
    [InlineData("""
          extensions: [pprof]
          pipelines:
            profiles:
              receivers: otlp_json_file
              exporters: [debug]
        """, new[]
        {
            "receivers::otlp_json_file: defined but not used in any pipeline (x.yaml:2)",
            "service::pipelines::profiles: must have at least one receiver (x.yaml:11)",
            "service::pipelines::profiles::receivers: expected a sequence of receiver ids, got \"otlp_json_file\" (x.yaml:12)",
        })]
    [InlineData("""
          extensions: [pprof]
          pipelines:
            profiles:
              receivers: [otlp_json_file, {name: x}, "bad id"]
              exporters: [debug]
        """, new[]
        {
            "service::pipelines::profiles::receivers::1: expected a receiver id, got a mapping (x.yaml:12)",
            "service::pipelines::profiles: invalid component id \"bad id\": the type must start with a letter and hold only letters, digits and '_' (at most 63 characters) (x.yaml:12)",
        })]
    [InlineData("""
          extensions: [pprof, pprof]
          pipelines:
            profiles: {receivers: [otlp_json_file], exporters: [debug]}
        """, new[] { "service::extensions: references extension \"pprof\" more than once (x.yaml:9)" })]
    [InlineData("""
          extensions: pprof
          pipelines:
            profiles: {receivers: [otlp_json_file], exporters: [debug]}
        """, new[]
        {
            "extensions::pprof: defined but not listed in service::extensions (x.yaml:7)",
            "service::extensions: expected a sequence of extension ids, got \"pprof\" (x.yaml:9)",
        })]
    [InlineData("""
          extensions: [pprof]
          pipelines:
            profiles: {receivers: [otlp_json_file], exporters: [debug]}
            profiles/: {receivers: [otlp_json_file], exporters: [debug]}
        """, new[] { "service::pipelines::profiles/: invalid pipeline id \"profiles/\": the name after '/' must be non-empty and hold no spaces, control characters or symbols (x.yaml:12)" })]
    [InlineData("""
          extensions: [pprof]
          pipelines: {}
        """, new[] { "service::pipelines: at least one pipeline is required (x.yaml:10)" })]
    public void Reports_malformed_service_sections(string body, string[] expected)
    {
        Assert.Equal(expected, TestConfig.Errors(WithService(body)));
    }

    [Fact]
    public void A_null_service_section_needs_pipelines()
    {
        Assert.Equal(
        [
            "extensions::pprof: defined but not listed in service::extensions (x.yaml:7)",
            "service::pipelines: at least one pipeline is required (x.yaml:8)",
        ], TestConfig.Errors(WithService("")));
    }

    [Fact]
    public void Named_pipelines_of_the_profiles_signal_are_fine()
    {
        var service = TestConfig.Load(WithService("""
              extensions: [pprof]
              pipelines:
                profiles/a: {receivers: [otlp_json_file], exporters: [debug]}
                profiles/b-2: {receivers: [otlp_json_file], exporters: [debug]}
            """));

        Assert.Equal(["profiles/a", "profiles/b-2"], service.Pipelines.Select(p => p.Id.ToString()));
    }
}
