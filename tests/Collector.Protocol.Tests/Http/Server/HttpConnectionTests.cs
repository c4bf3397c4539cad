using System.Text;
using Collector.Protocol.Http.Server;
using Collector.Protocol.Tests.Http.Server.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Tests.Http.Server;

public class HttpConnectionTests
{
    /// <summary>Answers with the path as the body, so a response can be matched to its request.</summary>
    private static Task EchoPath(HttpContext context) => context.Response.WriteAsync(context.Request.Path.Value ?? "");

    [Fact]
    public async Task Serves_one_request_after_another_on_a_kept_connection()
    {
        var connections = new List<string>();
        await using var server = await TestServer.StartAsync(context =>
        {
            lock (connections) connections.Add(context.Connection.Id);
            return EchoPath(context);
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/first");
        var first = await client.ReadResponseAsync();
        await client.GetAsync("/second");
        var second = await client.ReadResponseAsync();

        Assert.Equal("HTTP/1.1 200 OK", first.StatusLine);
        Assert.Equal("/first", first.Body);
        Assert.Equal("6", first.Header("Content-Length"));
        Assert.False(first.Has("Connection"));
        Assert.False(first.Has("Date"));
        Assert.False(first.Has("Server"));
        Assert.Equal("/second", second.Body);
        Assert.Single(connections.Distinct());
        Assert.True(await client.QuietForAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Answers_pipelined_requests_in_order()
    {
        await using var server = await TestServer.StartAsync(EchoPath);
        using var client = await server.ConnectAsync();

        await client.SendAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal("/a", (await client.ReadResponseAsync()).Body);
        Assert.Equal("/b", (await client.ReadResponseAsync()).Body);
        var last = await client.ReadResponseAsync();
        Assert.Equal("/c", last.Body);
        Assert.Equal("close", last.Header("Connection"));
        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task Reads_a_request_that_arrives_a_byte_at_a_time()
    {
        await using var server = await TestServer.StartAsync(EchoPath);
        using var client = await server.ConnectAsync();

        foreach (var c in "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n") await client.SendAsync(c.ToString());

        Assert.Equal("/slow", (await client.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Closes_an_http10_connection_unless_it_asks_to_be_kept()
    {
        await using var server = await TestServer.StartAsync(EchoPath);
        using (var plain = await server.ConnectAsync())
        {
            await plain.SendAsync("GET /old HTTP/1.0\r\n\r\n");
            var response = await plain.ReadResponseAsync();

            Assert.Equal("/old", response.Body);
            Assert.Equal("close", response.Header("Connection"));
            Assert.True(await plain.ClosedAsync());
        }
        using var kept = await server.ConnectAsync();
        await kept.SendAsync("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var first = await kept.ReadResponseAsync();
        await kept.SendAsync("GET /two HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

        Assert.Equal("keep-alive", first.Header("Connection"));
        Assert.Equal("/two", (await kept.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Closes_when_the_request_says_close()
    {
        await using var server = await TestServer.StartAsync(EchoPath);
        using var client = await server.ConnectAsync();

        await client.GetAsync("/bye", "Connection: close\r\n");

        Assert.Equal("close", (await client.ReadResponseAsync()).Header("Connection"));
        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task Closes_when_the_handler_says_close()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/");

        var response = await client.ReadResponseAsync();
        Assert.Equal(["close"], response.Headers.Where(h => h.Name == "Connection").Select(h => h.Value));
        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task Head_gets_the_length_of_the_body_but_not_the_body()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            var body = Encoding.UTF8.GetBytes("twelve bytes");
            context.Response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(body);
        });
        await using var writesAnyway = await TestServer.StartAsync(context => context.Response.WriteAsync("written for HEAD too"));
        using var client = await server.ConnectAsync();
        using var other = await writesAnyway.ConnectAsync();

        await client.SendAsync("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await client.ReadResponseAsync(noBody: true);
        await client.GetAsync("/metrics");
        await other.SendAsync("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal("12", head.Header("Content-Length"));
        Assert.Equal("twelve bytes", (await client.ReadResponseAsync()).Body);
        Assert.Equal("20", (await other.ReadResponseAsync(noBody: true)).Header("Content-Length"));
        Assert.Equal("written for HEAD too", (await other.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Writes_no_body_or_length_for_204()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        using var client = await server.ConnectAsync();

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");

        var response = await client.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 204 No Content", response.StatusLine);
        Assert.False(response.Has("Content-Length"));
        Assert.Equal(204, (await client.ReadResponseAsync()).Status);
    }

    [Theory]
    [InlineData("GET /metrics\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("GET /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported")]
    [InlineData("POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 411 Length Required")]
    [InlineData("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n", "HTTP/1.1 413 Payload Too Large")]
    public async Task Refuses_a_bad_request_and_closes(string request, string statusLine)
    {
        var handled = 0;
        await using var server = await TestServer.StartAsync(context =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });
        using var client = await server.ConnectAsync();

        await client.SendAsync(request);

        var response = await client.ReadResponseAsync();
        Assert.Equal(statusLine, response.StatusLine);
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.ClosedAsync());
        Assert.Equal(0, handled);
    }

    [Fact]
    public async Task Refuses_an_oversized_request_line_or_header_section_while_the_client_still_sends()
    {
        await using var server = await TestServer.StartAsync(EchoPath);
        using var longLine = await server.ConnectAsync();
        using var manyHeaders = await server.ConnectAsync();

        await longLine.SendAsync("GET /" + new string('a', 20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        await manyHeaders.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"X-Header-{i}: {new string('v', 40)}\r\n")) + "\r\n");

        Assert.Equal(414, (await longLine.ReadResponseAsync()).Status);
        Assert.True(await longLine.ClosedAsync());
        Assert.Equal(431, (await manyHeaders.ReadResponseAsync()).Status);
        Assert.True(await manyHeaders.ClosedAsync());
    }

    [Fact]
    public async Task Accepts_the_largest_head_the_limits_allow()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync(context.Request.Headers["X-Big"].ToString().Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var client = await server.ConnectAsync();
        var limits = HttpServerLimits.Default;
        var path = "/" + new string('p', limits.MaxRequestLineBytes - "GET / HTTP/1.1".Length);
        var value = new string('v', limits.MaxHeaderBytes - "Host: x\r\n".Length - "X-Big: \r\n".Length);

        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\nX-Big: {value}\r\n\r\n");

        Assert.Equal(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), (await client.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Reads_and_drops_a_request_body_then_serves_the_next_request()
    {
        long? seen = null;
        await using var server = await TestServer.StartAsync(async context =>
        {
            seen = await new StreamReader(context.Request.Body).ReadToEndAsync() is var body ? body.Length : null;
            await EchoPath(context);
        });
        using var client = await server.ConnectAsync();

        await client.SendAsync("POST /posted HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello ");
        await Task.Delay(50);
        await client.SendAsync("worldGET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal("/posted", (await client.ReadResponseAsync()).Body);
        Assert.Equal(0, seen);
        Assert.Equal("/next", (await client.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Tells_a_client_that_expects_it_to_continue()
    {
        await using var server = await TestServer.StartAsync(EchoPath);
        using var client = await server.ConnectAsync();

        await client.SendAsync("POST /sent HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var interim = await client.ReadResponseAsync(noBody: true);
        await client.SendAsync("hello");

        Assert.Equal("HTTP/1.1 100 Continue", interim.StatusLine);
        Assert.Equal("/sent", (await client.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task A_handler_that_throws_gets_a_logged_500_and_the_connection_goes_on()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/ok")
            {
                await EchoPath(context);
                return;
            }
            context.Response.Headers["X-Half"] = "made";
            await context.Response.WriteAsync("half a page");
            throw new InvalidOperationException("broken handler");
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/broken");
        var failed = await client.ReadResponseAsync();
        await client.GetAsync("/ok");

        Assert.Equal("HTTP/1.1 500 Internal Server Error", failed.StatusLine);
        Assert.Equal("", failed.Body);
        Assert.False(failed.Has("X-Half"));
        Assert.Equal("/ok", (await client.ReadResponseAsync()).Body);
        var error = Assert.Single(server.Logs.At(LogLevel.Error));
        Assert.Contains("GET /broken", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_that_would_split_the_response_becomes_a_500()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.Headers["X-Evil"] = "a\r\nSet-Cookie: owned=1";
            return context.Response.WriteAsync("body");
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/");

        var response = await client.ReadResponseAsync();
        Assert.Equal(500, response.Status);
        Assert.False(response.Has("Set-Cookie"));
        Assert.Single(server.Logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task Flushes_what_the_handler_left_in_its_pipe_writer()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            var span = context.Response.BodyWriter.GetSpan(5);
            "piped"u8.CopyTo(span);
            context.Response.BodyWriter.Advance(5);
            return Task.CompletedTask;
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/");

        Assert.Equal("piped", (await client.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Runs_the_starting_and_completed_callbacks()
    {
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["X-Started"] = "yes";
                return Task.CompletedTask;
            });
            context.Response.OnCompleted(() =>
            {
                completed.SetResult();
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/");

        Assert.Equal("yes", (await client.ReadResponseAsync()).Header("X-Started"));
        await completed.Task.WaitAsync(RawClient.Patience);
    }

    [Fact]
    public async Task A_handler_that_aborts_closes_the_connection_without_an_answer()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var client = await server.ConnectAsync();

        await client.GetAsync("/");

        Assert.True(await client.ClosedAsync());
    }

    [Fact]
    public async Task A_client_that_leaves_mid_request_or_mid_response_harms_no_one()
    {
        var big = new byte[8 << 20];
        await using var server = await TestServer.StartAsync(context =>
            context.Request.Path == "/big" ? context.Response.Body.WriteAsync(big).AsTask() : EchoPath(context));
        using (var halfHead = await server.ConnectAsync()) await halfHead.SendAsync("GET /metrics HTTP/1.1\r\nHo");
        using (var halfBody = await server.ConnectAsync()) await halfBody.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
        using (var unread = await server.ConnectAsync())
        {
            await unread.GetAsync("/big");
            await Task.Delay(100);
        }

        using var next = await server.ConnectAsync();
        await next.GetAsync("/still-here");
        Assert.Equal("/still-here", (await next.ReadResponseAsync()).Body);
        Assert.Empty(server.Logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task Closes_a_connection_idle_for_longer_than_the_idle_timeout()
    {
        var limits = HttpServerLimits.Default with { IdleTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await TestServer.StartAsync(EchoPath, limits);
        using var silent = await server.ConnectAsync();
        using var served = await server.ConnectAsync();

        await served.GetAsync("/once");
        Assert.Equal("/once", (await served.ReadResponseAsync()).Body);

        Assert.True(await silent.ClosedAsync());
        Assert.True(await served.ClosedAsync());
    }

    [Fact]
    public async Task Each_request_restarts_the_idle_timeout_and_a_slow_handler_is_not_cut_off()
    {
        // Generous margins: the pauses must stay well under the timeouts on a loaded machine, and add up to more.
        var limits = HttpServerLimits.Default with { IdleTimeout = TimeSpan.FromMilliseconds(1500), TransferTimeout = TimeSpan.FromMilliseconds(1500) };
        await using var server = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/slow") await Task.Delay(2500);
            await EchoPath(context);
        }, limits);
        using var client = await server.ConnectAsync();

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(500);
            await client.GetAsync("/quick");
            Assert.Equal("/quick", (await client.ReadResponseAsync()).Body);
        }
        await client.GetAsync("/slow");
        Assert.Equal("/slow", (await client.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Closes_a_connection_whose_request_stalls_half_way()
    {
        var limits = HttpServerLimits.Default with { TransferTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await TestServer.StartAsync(EchoPath, limits);
        using var stalledHead = await server.ConnectAsync();
        using var stalledBody = await server.ConnectAsync();

        await stalledHead.SendAsync("GET /metrics HTTP/1.1\r\n");
        await stalledBody.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");

        Assert.True(await stalledHead.ClosedAsync());
        Assert.True(await stalledBody.ClosedAsync());
    }
}
