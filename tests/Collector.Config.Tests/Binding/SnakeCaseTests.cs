using Collector.Config.Binding;

namespace Collector.Config.Tests.Binding;

public sealed class SnakeCaseTests
{
    [Theory]
    [InlineData("Path", "path")]
    [InlineData("MaxMegabytes", "max_megabytes")]
    [InlineData("FlushInterval", "flush_interval")]
    [InlineData("UntilEmpty", "until_empty")]
    [InlineData("HTTPEndpoint", "http_endpoint")]
    [InlineData("TLS", "tls")]
    [InlineData("IOBuffer", "io_buffer")]
    [InlineData("Http2Enabled", "http2_enabled")]
    [InlineData("Sha256Sum", "sha256_sum")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("Max_Days", "max_days")]
    [InlineData("x", "x")]
    public void Converts_pascal_case_names(string name, string expected)
    {
        Assert.Equal(expected, SnakeCase.From(name));
    }
}
