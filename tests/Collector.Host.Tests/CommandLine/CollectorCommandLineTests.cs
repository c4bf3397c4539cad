using Collector.Host.CommandLine;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.CommandLine;

public class CollectorCommandLineTests
{
    private const string ValidConfig = """
        receivers:
          otlp_json_file:
            include: [in.jsonl]
        exporters:
          debug: {}
        service:
          pipelines:
            profiles:
              receivers: [otlp_json_file]
              exporters: [debug]
        """;

    [Fact]
    public async Task Validate_accepts_the_shipped_config()
    {
        var (code, stdout, stderr) = await Run("validate", "--config", RepoPaths.ShippedConfig);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("configuration is valid: 1 pipeline(s)", stdout, StringComparison.Ordinal);
    }

    /// <summary>Every collector config under examples/, at any depth; Kubernetes manifests (apiVersion) and Prometheus' config are not ours.</summary>
    public static TheoryData<string> Examples() => new(
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples"), "*.yaml", SearchOption.AllDirectories)
            .Where(path => !File.ReadLines(path).Any(line => line.StartsWith("apiVersion:", StringComparison.Ordinal)))
            .Select(path => Path.GetRelativePath(RepoPaths.Root, path)));

    [Fact]
    public void The_examples_include_the_deployment_configs()
    {
        var examples = Examples().Select(row => row.Data).ToList();
        Assert.Contains(Path.Combine("examples", "sidecar", "collector.yaml"), examples);
        Assert.Contains(Path.Combine("examples", "node-agent", "collector.yaml"), examples);
        Assert.Contains(Path.Combine("examples", "gateway", "collector.yaml"), examples);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Validate_accepts_every_example_config(string path)
    {
        var (code, _, stderr) = await Run("validate", "--config", Path.Combine(RepoPaths.Root, path));
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task Validate_without_config_checks_the_embedded_default()
    {
        var (code, stdout, stderr) = await Run("validate");
        Assert.True(code == 0, stderr);
        Assert.Contains("configuration is valid", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_embedded_default_is_the_shipped_collector_yaml()
    {
        Assert.Equal(await File.ReadAllTextAsync(RepoPaths.ShippedConfig), ConfigSources.Embedded().Text);
    }

    [Fact]
    public async Task Validate_rejects_an_invalid_config_with_one_line_per_error_and_exit_code_1()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.yaml", ValidConfig.Replace("debug: {}", "debug:\n    verbosity: loud", StringComparison.Ordinal));

        var (code, stdout, stderr) = await Run("validate", "--config", path);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("exporters::debug::verbosity: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"({path}:6)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_refuses_symbolization_before_pid_lifecycle_naming_both_and_the_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("order.yaml", """
            receivers:
              ebpf_profiling: {}
            processors:
              pid_lifecycle: {}
              symbolization: {}
            exporters:
              debug: {}
            service:
              pipelines:
                profiles:
                  receivers: [ebpf_profiling]
                  processors: [symbolization, pid_lifecycle]
                  exporters: [debug]
            """);

        var (code, stdout, stderr) = await Run("validate", "--config", path);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("service::pipelines::profiles: processor \"pid_lifecycle\"", line, StringComparison.Ordinal);
        Assert.Contains("\"symbolization\"", line, StringComparison.Ordinal);
        Assert.EndsWith($"({path}:12)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        var (code, _, stderr) = await Run("validate", "--config", "/nonexistent/collector.yaml");
        Assert.Equal(1, code);
        Assert.StartsWith("cannot read config file \"/nonexistent/collector.yaml\": ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_config_flags_merge_in_order()
    {
        using var dir = new TempDirectory();
        var first = dir.Write("a.yaml", ValidConfig);
        // The second file alone is incomplete; merged onto the first it swaps the exporter's verbosity.
        var second = dir.Write("b.yaml", "exporters:\n  debug:\n    verbosity: detailed\n");

        var (code, _, stderr) = await Run("validate", "--config", first, "--config", $"file:{second}");
        Assert.True(code == 0, stderr);

        var invalid = dir.Write("c.yaml", "exporters:\n  debug:\n    verbosity: nope\n");
        (code, _, stderr) = await Run("validate", "--config", first, "--config", invalid);
        Assert.Equal(1, code);
        Assert.Contains($"({invalid}:3)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Components_lists_every_registered_type_by_kind()
    {
        var (code, stdout, _) = await Run("components");
        Assert.Equal(0, code);
        Assert.Contains("receivers:\n  ebpf_profiling: ", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  otlp_json_file: ", stdout, StringComparison.Ordinal);
        Assert.Contains("  file: ", stdout, StringComparison.Ordinal);
        Assert.Contains("  debug: ", stdout, StringComparison.Ordinal);
        Assert.Contains("extensions:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_arguments_are_a_usage_error()
    {
        var (code, _, stderr) = await Run("--no-such-flag");
        Assert.NotEqual(0, code);
        Assert.Contains("--no-such-flag", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CollectorCommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
