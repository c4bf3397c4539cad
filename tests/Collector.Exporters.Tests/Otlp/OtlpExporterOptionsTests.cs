using Collector.Core.Components;
using Collector.Exporters.Otlp;
using Collector.Extensions.FileStorage;

namespace Collector.Exporters.Tests.Otlp;

public class OtlpExporterOptionsTests
{
    [Fact]
    public void Grpc_defaults_are_the_collectors()
    {
        var factory = new OtlpGrpcExporterFactory();
        var options = (OtlpGrpcExporterOptions)factory.CreateDefaultOptions();

        Assert.Equal("otlp_grpc", factory.Type);
        Assert.Equal(["otlp"], factory.Aliases);
        Assert.False(options.Tls.Insecure);
        Assert.Equal("gzip", options.Compression);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(4 * 1024 * 1024, options.MaxRequestSize);
        Assert.Empty(options.Headers);
        AssertRetryAndQueueDefaults(options);
    }

    [Fact]
    public void Http_defaults_are_the_collectors()
    {
        var factory = new OtlpHttpExporterFactory();
        var options = (OtlpHttpExporterOptions)factory.CreateDefaultOptions();

        Assert.Equal("otlp_http", factory.Type);
        Assert.Equal(["otlphttp"], factory.Aliases);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(OtlpHttpEncoding.Proto, options.Encoding);
        Assert.Equal("gzip", options.Compression);
        Assert.Equal("", options.ProfilesEndpoint);
        AssertRetryAndQueueDefaults(options);
        options.Endpoint = "https://backend.example:4318/";
        Assert.Equal(new Uri("https://backend.example:4318/v1development/profiles"), options.ProfilesUrl());
    }

    [Theory]
    [InlineData("backend:4317", "backend", 4317, true)]
    [InlineData("http://backend:4317", "backend", 4317, true)]
    [InlineData("https://backend:4317", "backend", 4317, true)]
    [InlineData("dns:///backend:4317", "backend", 4317, true)]
    [InlineData("[::1]:4317", "::1", 4317, true)]
    public void Grpc_endpoints_lose_their_scheme_and_tls_is_on_by_default(string endpoint, string host, int port, bool tls)
    {
        var options = new OtlpGrpcExporterOptions { Endpoint = endpoint };

        Assert.True(options.TryParseEndpoint(out var parsedHost, out var parsedPort, out var useTls));
        Assert.Equal((host, port, tls), (parsedHost, parsedPort, useTls));
    }

    [Fact]
    public void Insecure_turns_tls_off_except_for_an_https_endpoint()
    {
        var plain = new OtlpGrpcExporterOptions { Endpoint = "backend:4317", Tls = { Insecure = true } };
        var https = new OtlpGrpcExporterOptions { Endpoint = "https://backend:4317", Tls = { Insecure = true } };

        Assert.True(plain.TryParseEndpoint(out _, out _, out var plainTls));
        Assert.True(https.TryParseEndpoint(out _, out _, out var httpsTls));
        Assert.False(plainTls);
        Assert.True(httpsTls);
    }

    [Fact]
    public void A_missing_endpoint_is_required()
    {
        Assert.Equal([OptionsError.Required("endpoint")], new OtlpGrpcExporterOptions().Validate());
        Assert.Equal([OptionsError.Required("endpoint")], new OtlpHttpExporterOptions().Validate());
        Assert.Empty(new OtlpHttpExporterOptions { ProfilesEndpoint = "http://backend:4318/p" }.Validate());
    }

    [Fact]
    public void Bad_values_name_their_keys()
    {
        var options = new OtlpGrpcExporterOptions
        {
            Endpoint = "backend",
            Compression = "zstd",
            Timeout = TimeSpan.Zero,
            MaxRequestSize = -1,
            Tls = { CertFile = "client.pem" },
            Headers = { ["grpc-timeout"] = "1S" },
            RetryOnFailure = { InitialInterval = TimeSpan.Zero, Multiplier = 0.5, RandomizationFactor = 2 },
            SendingQueue = { NumConsumers = 0, QueueSize = 0, Storage = "not an id" },
        };

        var keys = options.Validate().Select(e => e.Key).ToList();

        Assert.Equal(
        [
            "endpoint", "compression", "timeout", "max_request_size", "tls", "headers::grpc-timeout",
            "retry_on_failure::initial_interval", "retry_on_failure::multiplier", "retry_on_failure::randomization_factor",
            "sending_queue::num_consumers", "sending_queue::queue_size", "sending_queue::storage",
        ], keys);
    }

    [Fact]
    public void Disabled_sections_are_not_checked()
    {
        var options = new OtlpHttpExporterOptions
        {
            Endpoint = "http://backend:4318",
            Encoding = OtlpHttpEncoding.Json,
            Compression = "none",
            RetryOnFailure = { Enabled = false, InitialInterval = TimeSpan.Zero },
            SendingQueue = { Enabled = false, QueueSize = 0 },
        };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void File_storage_needs_a_directory()
    {
        Assert.Equal([OptionsError.Required("directory")], new FileStorageOptions().Validate());
        Assert.Equal("file_storage", new FileStorageExtensionFactory().Type);
    }

    private static void AssertRetryAndQueueDefaults(OtlpExporterOptions options)
    {
        var retry = options.RetryOnFailure;
        Assert.True(retry.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), retry.InitialInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), retry.MaxInterval);
        Assert.Equal(TimeSpan.FromSeconds(300), retry.MaxElapsedTime);
        Assert.Equal(1.5, retry.Multiplier);
        Assert.Equal(0.5, retry.RandomizationFactor);
        var queue = options.SendingQueue;
        Assert.True(queue.Enabled);
        Assert.Equal(10, queue.NumConsumers);
        Assert.Equal(1000, queue.QueueSize);
        Assert.Null(queue.Storage);
        Assert.DoesNotContain(options.Validate(), e => e.Key != null);
    }
}
