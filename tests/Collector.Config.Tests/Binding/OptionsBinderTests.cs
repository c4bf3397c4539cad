using Collector.Config.Tests.Fakes;
using Collector.Core.Components;

namespace Collector.Config.Tests.Binding;

/// <summary>Binding every supported property type through a real load of the fake receiver.</summary>
public sealed class OptionsBinderTests
{
    private static ReplayReceiverOptions BindReceiver(string options)
    {
        var service = TestConfig.Load($"""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            {options}
            exporters:
              debug:
            service:
              pipelines:
                profiles: {"{"}receivers: [otlp_json_file], exporters: [debug]{"}"}
            """);
        return TestConfig.OptionsOf<ReplayReceiverOptions>(service.Receivers, "otlp_json_file");
    }

    /// <summary>The errors for receiver options given from line 4 on.</summary>
    private static IReadOnlyList<string> ReceiverErrors(string options) => TestConfig.Errors($"""
        receivers:
          otlp_json_file:
            path: /tmp/in.json
        {options}
        exporters:
          debug:
        service:
          pipelines:
            profiles: {"{"}receivers: [otlp_json_file], exporters: [debug]{"}"}
        """);

    [Fact]
    public void Binds_every_supported_scalar_type()
    {
        var options = BindReceiver("""
                loop: true
                rate: 2.5
                interval: 1m30s
                max_files: 12
                offset: -9000000000
                limit: 4000000000
                max_bytes: 18000000000000000000
                mode: until_empty
                priority: 7
                start_delay: 250ms
                fallback_mode: Forever
                max_recv_msg_size_mib: 16
            """);

        Assert.True(options.Loop);
        Assert.Equal(2.5, options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Interval);
        Assert.Equal(12, options.MaxFiles);
        Assert.Equal(-9_000_000_000L, options.Offset);
        Assert.Equal(4_000_000_000U, options.Limit);
        Assert.Equal(18_000_000_000_000_000_000UL, options.MaxBytes);
        Assert.Equal(ReplayMode.UntilEmpty, options.Mode);
        Assert.Equal(7, options.Priority);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.StartDelay);
        Assert.Equal(ReplayMode.Forever, options.FallbackMode);
        Assert.Equal(16, options.MaxReceiveMessageSizeMiB);
    }

    [Fact]
    public void Binds_sequences_of_every_collection_type_replacing_the_default()
    {
        var options = BindReceiver("""
                tags: [a, b]
                ports: [80, 443]
                weights: [0.5, 1]
                delays: [1s, 2ms]
                slots: [1, ~, 3]
            """);

        Assert.Equal(["a", "b"], options.Tags);
        Assert.Equal([80, 443], options.Ports);
        Assert.Equal([0.5, 1.0], options.Weights);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(2)], options.Delays);
        Assert.Equal([1, null, 3], options.Slots);
    }

    [Fact]
    public void Binds_maps_with_scalar_and_object_values()
    {
        var options = BindReceiver("""
                labels: {team: profiling, "host.name": box}
                quotas: {cpu: 2}
                named_filters:
                  errors: {attribute: status, negate: true}
                  all:
            """);

        Assert.Equal(new Dictionary<string, string> { ["team"] = "profiling", ["host.name"] = "box" }, options.Labels);
        Assert.Equal(2, options.Quotas["cpu"]);
        Assert.Equal(("status", true), (options.NamedFilters["errors"].Attribute, options.NamedFilters["errors"].Negate));
        Assert.Equal("", options.NamedFilters["all"].Attribute);
    }

    [Fact]
    public void Binds_a_sequence_of_nested_objects()
    {
        var options = BindReceiver("""
                filters:
                  - attribute: process.pid
                  - {attribute: thread.name, negate: true}
            """);

        Assert.Equal([("process.pid", false), ("thread.name", true)], options.Filters.Select(f => (f.Attribute, f.Negate)));
    }

    [Fact]
    public void A_nested_object_is_bound_in_place_so_its_other_defaults_survive()
    {
        var options = BindReceiver("""
                retry:
                  multiplier: 2
            """);

        Assert.Equal((true, TimeSpan.FromSeconds(5), 2.0), (options.Retry.Enabled, options.Retry.InitialInterval, options.Retry.Multiplier));
    }

    [Fact]
    public void A_null_nested_object_is_created_when_its_key_is_present()
    {
        Assert.Null(BindReceiver("").Tls);
        Assert.True(BindReceiver("    tls: {insecure: true}").Tls!.Insecure);

        var service = TestConfig.Load("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              file:
                path: /tmp/out.json
                rotation:
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], exporters: [file]}
            """);
        var rotation = TestConfig.OptionsOf<FileExporterOptions>(service.Exporters, "file").Rotation;
        Assert.NotNull(rotation);
        Assert.Equal((100, null, 100), (rotation.MaxMegabytes, rotation.MaxDays, rotation.MaxBackups));
    }

    [Fact]
    public void A_null_scalar_sequence_or_map_value_keeps_the_default()
    {
        var options = BindReceiver("""
                rate:
                tags: ~
                labels:
            """);

        Assert.Equal(1.0, options.Rate);
        Assert.Equal(["default"], options.Tags);
        Assert.Empty(options.Labels);
    }

    [Fact]
    public void A_whole_number_binds_to_a_double_and_any_scalar_to_a_string()
    {
        var options = BindReceiver("""
                rate: 3
                labels: {count: 12, on: true}
            """);

        Assert.Equal(3.0, options.Rate);
        Assert.Equal(("12", "true"), (options.Labels["count"], options.Labels["on"]));
    }

    [Fact]
    public void A_read_only_property_is_not_a_key()
    {
        Assert.Equal(
            ["receivers::otlp_json_file: unknown key \"is_bounded\" (x.yaml:4)"],
            ReceiverErrors("    is_bounded: true"));
    }

    [Fact]
    public void Errors_inside_collections_name_the_item_and_its_line()
    {
        var errors = ReceiverErrors("""
                ports:
                  - 80
                  - http
                  - ~
                quotas: {cpu: lots}
                filters:
                  - attr: x
                delays: 5s
                labels: [a]
            """);

        Assert.Equal(
        [
            "receivers::otlp_json_file::ports::1: expected an integer, got \"http\" (x.yaml:6)",
            "receivers::otlp_json_file::ports::2: expected an integer, got null (x.yaml:7)",
            "receivers::otlp_json_file::quotas::cpu: expected an integer, got \"lots\" (x.yaml:8)",
            "receivers::otlp_json_file::filters::0: unknown key \"attr\" (x.yaml:10)",
            "receivers::otlp_json_file::delays: expected a sequence, got \"5s\" (x.yaml:11)",
            "receivers::otlp_json_file::labels: expected a mapping, got a sequence (x.yaml:12)",
        ], errors);
    }

    [Fact]
    public void Validate_errors_land_on_the_key_or_its_nearest_present_ancestor()
    {
        var errors = ReceiverErrors("""
                max_files: 0
                retry: {multiplier: 0.5}
                tls:
                filters:
                  - negate: true
            """);

        Assert.Equal(
        [
            "receivers::otlp_json_file::max_files: must be between 1 and 1000 (x.yaml:4)",
            "receivers::otlp_json_file::retry::multiplier: must be at least 1 (x.yaml:5)",
            "receivers::otlp_json_file::tls: ca_file is required unless insecure is true (x.yaml:6)",
            "receivers::otlp_json_file::filters::0: attribute is required (x.yaml:8)",
        ], errors);
    }

    [Fact]
    public void Validate_error_for_an_absent_key_lands_on_the_nearest_ancestor()
    {
        var errors = TestConfig.Errors("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            processors:
              relabel:
                rules:
                  - source: a
                  - source: b
                    action: replace
            exporters:
              debug:
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], processors: [relabel], exporters: [debug]}
            """);

        Assert.Equal(["processors::relabel::rules::1::target: is required when action is replace (x.yaml:8)"], errors);
    }

    public sealed class ClashingKeysOptions : IComponentOptions
    {
        public int MaxSize { get; set; }

        [ConfigKey("max_size")]
        public int Limit { get; set; }

        public IEnumerable<OptionsError> Validate() => [];
    }

    public sealed class UnsupportedTypeOptions : IComponentOptions
    {
        public Uri? Endpoint { get; set; }

        public IEnumerable<OptionsError> Validate() => [];
    }

    public sealed class ThrowingOptions : IComponentOptions
    {
        private int _port;

        public int Port
        {
            get => _port;
            set => _port = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "port must not be negative");
        }

        public IEnumerable<OptionsError> Validate() =>
            Port == 13 ? throw new InvalidOperationException("unlucky port") : [];
    }

    [Theory]
    [InlineData("clashing", "size: 1", "exporters::clashing: could not load the options: ClashingKeysOptions.MaxSize and ClashingKeysOptions.Limit both bind to the key \"max_size\" (x.yaml:2)")]
    [InlineData("unsupported", "endpoint: http://x", "exporters::unsupported::endpoint: the option type Uri cannot be bound from YAML (a bug in the component's options) (x.yaml:3)")]
    [InlineData("throwing", "port: -1", "exporters::throwing::port: port must not be negative (Parameter 'value') (x.yaml:3)")]
    [InlineData("throwing", "port: 13", "exporters::throwing: could not load the options: unlucky port (x.yaml:2)")]
    public void A_faulty_options_class_becomes_a_config_error_naming_the_component(string type, string option, string expected)
    {
        var loader = new ConfigLoader(new ComponentRegistry(
        [
            new FakeFactory<ClashingKeysOptions>("clashing", ComponentKind.Exporter),
            new FakeFactory<UnsupportedTypeOptions>("unsupported", ComponentKind.Exporter),
            new FakeFactory<ThrowingOptions>("throwing", ComponentKind.Exporter),
            new FakeFactory<EmptyOptions>("nop", ComponentKind.Receiver),
        ]));
        var yaml = $"""
            exporters:
              {type}:
                {option}
            receivers:
              nop:
            service:
              pipelines:
                profiles: {"{"}receivers: [nop], exporters: [{type}]{"}"}
            """;

        var error = Assert.Throws<ConfigException>(() => loader.Load([new ConfigSource("x.yaml", yaml)]));

        Assert.Equal([expected], error.Errors);
    }
}
