using System.Net;
using System.Net.Sockets;
using Collector.Protocol.Http.Server;
using Collector.Protocol.Tests.Http.Server.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Tests.Http.Server;

public class HttpServerTests
{
    [Fact]
    public async Task Reports_the_port_it_got_when_asked_for_port_0()
    {
        await using var server = await TestServer.StartAsync(_ => Task.CompletedTask);

        var address = new Uri(Assert.Single(server.Addresses));
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        using var client = new HttpClient { BaseAddress = address };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_is_an_io_error_with_the_socket_error_inside()
    {
        await using var first = await TestServer.StartAsync(_ => Task.CompletedTask);

        var error = await Assert.ThrowsAsync<IOException>(() => TestServer.StartAsync(_ => Task.CompletedTask, address: $"127.0.0.1:{first.Endpoint.Port}"));
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
        Assert.Contains($"127.0.0.1:{first.Endpoint.Port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_connections_beyond_the_cap_until_one_closes()
    {
        var limits = HttpServerLimits.Default with { MaxConnections = 2 };
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("hi"), limits);
        using var first = await server.ConnectAsync();
        using var second = await server.ConnectAsync();
        foreach (var client in new[] { first, second })
        {
            await client.GetAsync("/");
            await client.ReadResponseAsync();
        }

        using (var third = await server.ConnectAsync())
        {
            Assert.True(await third.ClosedAsync());
        }
        Assert.Contains(server.Logs.At(LogLevel.Warning), m => m.Contains("Refused a connection: 2 are open", StringComparison.Ordinal));

        first.Dispose();
        await WaitUntilAsync(async () =>
        {
            using var fourth = await server.ConnectAsync();
            await fourth.GetAsync("/");
            try
            {
                return (await fourth.ReadResponseAsync()).Body == "hi";
            }
            catch (IOException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task Stopping_lets_a_running_request_finish_and_closes_idle_connections_at_once()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/slow")
            {
                entered.SetResult();
                await release.Task;
            }
            await context.Response.WriteAsync("done");
        });
        using var busy = await server.ConnectAsync();
        using var idle = await server.ConnectAsync();
        await idle.GetAsync("/");
        await idle.ReadResponseAsync();
        await busy.GetAsync("/slow");
        await entered.Task.WaitAsync(RawClient.Patience);

        using var grace = new CancellationTokenSource(RawClient.Patience);
        var stopping = server.Server.StopAsync(grace.Token);

        Assert.True(await idle.ClosedAsync());
        Assert.False(stopping.IsCompleted);
        await Assert.ThrowsAnyAsync<SocketException>(() => server.ConnectAsync());
        release.SetResult();
        var response = await busy.ReadResponseAsync();
        Assert.Equal("done", response.Body);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await busy.ClosedAsync());
        await stopping.WaitAsync(RawClient.Patience);
    }

    [Fact]
    public async Task Stopping_past_the_grace_period_aborts_the_running_request()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(async context =>
        {
            entered.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                sawAbort.SetResult();
                throw;
            }
        });
        using var client = await server.ConnectAsync();
        await client.GetAsync("/forever");
        await entered.Task.WaitAsync(RawClient.Patience);

        using var grace = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await server.Server.StopAsync(grace.Token).WaitAsync(RawClient.Patience);

        await sawAbort.Task.WaitAsync(RawClient.Patience);
        Assert.True(await client.ClosedAsync());
        Assert.Empty(server.Logs.At(LogLevel.Error));
        Assert.Contains(server.Logs.At(LogLevel.Information), m => m.Contains("1 connection(s) still busy", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + RawClient.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(50);
        }
    }
}
