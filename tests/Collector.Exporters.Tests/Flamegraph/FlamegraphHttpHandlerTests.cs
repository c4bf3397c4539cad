using System.Text;
using System.Text.Json;
using Collector.Exporters.Flamegraph;
using Collector.TestKit;
using Microsoft.AspNetCore.Http;

namespace Collector.Exporters.Tests.Flamegraph;

public sealed class FlamegraphHttpHandlerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_123_456);

    [Fact]
    public async Task The_page_and_its_scripts_are_served_from_the_binary()
    {
        var handler = Handler(out _);

        var (status, type, body) = await GetAsync(handler, "/");
        var (treeStatus, treeType, tree) = await GetAsync(handler, "/tree.js");

        Assert.Equal((200, "text/html; charset=utf-8"), (status, type));
        Assert.Contains("<script src=\"tree.js\"></script>", body, StringComparison.Ordinal);
        Assert.Equal((200, "text/javascript; charset=utf-8"), (treeStatus, treeType));
        Assert.Contains("function buildTree", tree, StringComparison.Ordinal);
        Assert.Equal(200, (await GetAsync(handler, "/vendor/d3.min.js")).Status);
        Assert.Equal(404, (await GetAsync(handler, "/nothing-here.js")).Status);
    }

    [Fact]
    public async Task Stacks_default_to_the_last_five_minutes()
    {
        var handler = Handler(out var window);
        window.Add(TestBatches.Known(), Now.AddMinutes(-1));

        var (status, type, body) = await GetAsync(handler, "/api/stacks");

        Assert.Equal((200, "application/json"), (status, type));
        using var json = JsonDocument.Parse(body);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), json.RootElement.GetProperty("to").GetInt64());
        Assert.Equal(Now.AddMinutes(-5).ToUnixTimeMilliseconds(), json.RootElement.GetProperty("from").GetInt64());
        Assert.Equal(6, json.RootElement.GetProperty("stacks").GetArrayLength());
    }

    [Theory]
    [InlineData("?from=abc")]
    [InlineData("?to=1.5")]
    [InlineData("?from=20&to=10")]
    [InlineData("?from=10&to=10")]
    public async Task A_range_that_is_not_two_ordered_unix_milliseconds_is_refused(string query)
    {
        var (status, _, body) = await GetAsync(Handler(out _), "/api/stacks", query);

        Assert.Equal(400, status);
        Assert.Contains("from and to are Unix milliseconds", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_get_and_head_are_answered_and_head_sends_no_body()
    {
        var handler = Handler(out _);

        var post = NewContext("POST", "/api/stacks", "");
        await handler.ServeAsync(post);
        var head = NewContext("HEAD", "/", "");
        await handler.ServeAsync(head);

        Assert.Equal(405, post.Response.StatusCode);
        Assert.Equal("GET, HEAD", post.Response.Headers.Allow.ToString());
        Assert.Equal(200, head.Response.StatusCode);
        Assert.True(head.Response.ContentLength > 0);
        Assert.Equal(0, head.Response.Body.Length);
    }

    private static FlamegraphHttpHandler Handler(out StackWindow window)
    {
        window = new StackWindow(TimeSpan.FromMinutes(15), 1000);
        return new FlamegraphHttpHandler(window, new ManualTimeProvider(Now));
    }

    private static async Task<(int Status, string? Type, string Body)> GetAsync(FlamegraphHttpHandler handler, string path, string query = "")
    {
        var context = NewContext("GET", path, query);
        await handler.ServeAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    private static DefaultHttpContext NewContext(string method, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        return context;
    }
}
