using System.Net;
using Collector.Core.Components;
using Collector.Extensions.BearerTokenAuth;
using Collector.Protocol.Grpc;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.Otlp;

public class OtlpReceiverAuthTests
{
    private static readonly ComponentId AuthId = ComponentId.Parse("bearertokenauth/sidecars");

    [Fact]
    public async Task Only_requests_with_the_right_bearer_token_reach_the_pipeline()
    {
        await using var fixture = new OtlpReceiverFixture();
        await StartExtensionAsync(fixture, new BearerTokenAuthOptions { Token = "s3cret" });
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, WithAuth());
        var grpc = fixture.GrpcClient();
        var message = OtlpReceiverFixture.Proto(TestBatches.Simple(1));

        var missing = await GrpcTestClient.ExportAsync(grpc, OtlpReceiverFixture.GrpcUri(receiver), message);
        var wrong = await GrpcTestClient.ExportAsync(grpc, OtlpReceiverFixture.GrpcUri(receiver), message, configure: r => r.Headers.Add("authorization", "Bearer s3cre"));
        var scheme = await GrpcTestClient.ExportAsync(grpc, OtlpReceiverFixture.GrpcUri(receiver), message, configure: r => r.Headers.Add("authorization", "Basic s3cret"));
        var right = await GrpcTestClient.ExportAsync(grpc, OtlpReceiverFixture.GrpcUri(receiver), message, configure: r => r.Headers.Add("authorization", "Bearer s3cret"));
        using var httpMissing = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, message, "application/x-protobuf");
        var http = fixture.HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        using var httpRight = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, message, "application/x-protobuf", client: http);

        Assert.Equal(GrpcStatusCode.Unauthenticated, missing.Code);
        Assert.Contains("missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.Unauthenticated, wrong.Code);
        Assert.Equal(GrpcStatusCode.Unauthenticated, scheme.Code);
        Assert.Equal(GrpcStatusCode.OK, right.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, httpMissing.StatusCode);
        Assert.Equal(GrpcStatusCode.Unauthenticated, (await OtlpHttpReceiverTests.StatusOf(httpMissing)).Code);
        Assert.Equal(HttpStatusCode.OK, httpRight.StatusCode);
        Assert.Equal(2, consumer.Calls);
        Assert.Equal(3, receiver.Grpc.FailedRequests);
        Assert.Single(fixture.Logs.At(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("unauthenticated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rotated_token_file_takes_effect_without_a_restart()
    {
        await using var fixture = new OtlpReceiverFixture();
        using var directory = new TempDirectory();
        var tokenFile = directory.File("token");
        await File.WriteAllTextAsync(tokenFile, "first\n");
        var time = new ManualTimeProvider();
        var extension = new BearerTokenAuthExtension(Settings.For("bearertokenauth", ComponentKind.Extension, time), new BearerTokenAuthOptions { Filename = tokenFile });
        await extension.StartAsync(fixture.Host, CancellationToken.None);

        Assert.Null(extension.Authenticate(Headers("Bearer first")));
        await File.WriteAllTextAsync(tokenFile, "second-token");
        Assert.Null(extension.Authenticate(Headers("Bearer first"))); // checked at most once a second
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(extension.Authenticate(Headers("Bearer first")));
        Assert.Null(extension.Authenticate(Headers("Bearer second-token")));
        File.Delete(tokenFile);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(extension.Authenticate(Headers("Bearer second-token"))); // a vanished file keeps the last token
    }

    [Fact]
    public async Task An_empty_scheme_expects_the_bare_token()
    {
        var extension = new BearerTokenAuthExtension(Settings.For("bearertokenauth", ComponentKind.Extension), new BearerTokenAuthOptions { Token = "t", Scheme = "" });
        await extension.StartAsync(new TestHost(), CancellationToken.None);

        Assert.Null(extension.Authenticate(Headers("t")));
        Assert.NotNull(extension.Authenticate(Headers("Bearer t")));
    }

    [Fact]
    public async Task A_missing_token_file_or_authenticator_stops_the_start_with_a_clear_message()
    {
        await using var fixture = new OtlpReceiverFixture();
        var extension = new BearerTokenAuthExtension(Settings.For("bearertokenauth", ComponentKind.Extension),
            new BearerTokenAuthOptions { Filename = "/nonexistent/token" });
        var receiver = fixture.Create(new CapturingConsumer(), WithAuth());
        fixture.Host.Extensions[ComponentId.Parse("debug")] = new NotAnAuthenticator();
        var notAuthenticator = fixture.Create(new CapturingConsumer(), WithAuth("debug"));

        var fileError = await Assert.ThrowsAsync<FileNotFoundException>(() => extension.StartAsync(fixture.Host, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.StartAsync(fixture.Host, CancellationToken.None));
        var wrongKind = await Assert.ThrowsAsync<InvalidOperationException>(() => notAuthenticator.StartAsync(fixture.Host, CancellationToken.None));

        Assert.Contains("/nonexistent/token", fileError.Message, StringComparison.Ordinal);
        Assert.Contains("\"bearertokenauth/sidecars\", which is not a running extension", missing.Message, StringComparison.Ordinal);
        Assert.Contains("cannot authenticate", wrongKind.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.GrpcEndpoints);
    }

    [Fact]
    public void Options_need_exactly_one_of_token_and_filename()
    {
        Assert.Single(new BearerTokenAuthOptions().Validate());
        Assert.Single(new BearerTokenAuthOptions { Token = "a", Filename = "b" }.Validate());
        Assert.Single(new BearerTokenAuthOptions { Token = "a", Scheme = "Bear er" }.Validate());
        Assert.Empty(new BearerTokenAuthOptions { Filename = "b" }.Validate());
    }

    private static async Task StartExtensionAsync(OtlpReceiverFixture fixture, BearerTokenAuthOptions options)
    {
        var extension = new BearerTokenAuthExtension(Settings.For("bearertokenauth", ComponentKind.Extension), options);
        await extension.StartAsync(fixture.Host, CancellationToken.None);
        fixture.Host.Extensions[AuthId] = extension;
    }

    private static OtlpReceiverOptions WithAuth(string? id = null)
    {
        var options = OtlpReceiverFixture.BothProtocols();
        options.Protocols.Grpc!.Auth = new AuthOptions { Authenticator = id ?? AuthId.ToString() };
        options.Protocols.Http!.Auth = new AuthOptions { Authenticator = id ?? AuthId.ToString() };
        return options;
    }

    private static Collector.Core.Extensions.IRequestHeaders Headers(string authorization) =>
        new Receivers.Otlp.RequestHeaders(new Microsoft.AspNetCore.Http.HeaderDictionary { ["authorization"] = authorization });

    private sealed class NotAnAuthenticator : IExtension
    {
        public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
