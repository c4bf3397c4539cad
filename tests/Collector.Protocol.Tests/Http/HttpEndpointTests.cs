using System.Net;
using Collector.Protocol.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Tests.Http;

public class HttpEndpointTests
{
    [Fact]
    public async Task Serves_the_handler_through_the_hosting_layer_without_a_server_header()
    {
        await using var endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse("127.0.0.1:0"), async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} from {context.Connection.RemoteIpAddress}");
        }, new CapturingLoggerFactory(), CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(Assert.Single(endpoint.Addresses)) };

        using var response = await client.GetAsync(new Uri("/metrics?x=1", UriKind.Relative));
        using var again = await client.GetAsync(new Uri("/again", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /metrics?x=1 from 127.0.0.1", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Empty(response.Headers.Server);
        Assert.Equal("GET /again from 127.0.0.1", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_handler_that_throws_answers_500_and_is_logged_through_the_given_factory()
    {
        var logs = new CapturingLoggerFactory();
        await using var endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse("127.0.0.1:0"), _ => throw new InvalidOperationException("no metrics today"), logs, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.Addresses[0]) };

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotEmpty(logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task Disposing_waits_for_a_running_request_to_be_answered()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse("127.0.0.1:0"), async context =>
        {
            entered.SetResult();
            await release.Task;
            await context.Response.WriteAsync("finished");
        }, new CapturingLoggerFactory(), CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.Addresses[0]) };

        var request = client.GetStringAsync(new Uri("/", UriKind.Relative));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var disposing = endpoint.DisposeAsync().AsTask();
        await Task.Delay(100);

        Assert.False(disposing.IsCompleted);
        release.SetResult();
        Assert.Equal("finished", await request.WaitAsync(TimeSpan.FromSeconds(10)));
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disposing_an_idle_endpoint_is_quick_and_frees_the_port()
    {
        var endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse("127.0.0.1:0"), context => context.Response.WriteAsync("x"), new CapturingLoggerFactory(), CancellationToken.None);
        var address = new Uri(endpoint.Addresses[0]);
        using (var client = new HttpClient { BaseAddress = address })
        {
            await client.GetStringAsync(new Uri("/", UriKind.Relative));
            var started = DateTime.UtcNow;
            await endpoint.DisposeAsync();
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "a kept-alive connection held up the stop");
        }

        await using var again = await HttpEndpoint.StartAsync(ListenAddress.Parse($"127.0.0.1:{address.Port}"), context => context.Response.WriteAsync("y"), new CapturingLoggerFactory(), CancellationToken.None);
        Assert.Equal(address.ToString(), new Uri(again.Addresses[0]).ToString());
    }
}
