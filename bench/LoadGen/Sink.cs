using System.Diagnostics;
using System.Net;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Collector.Bench;

/// <summary>The backend the collector forwards to: h2c on 127.0.0.1, counting samples and end-to-end latency.</summary>
internal sealed class Sink : IAsyncDisposable
{
    private static readonly byte[] EmptyResponse = GrpcFrame.Encode(new ExportProfilesServiceResponse().ToByteArray(), GrpcCompression.Identity);

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private long _samples;
    private long _requests;

    private Sink(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public long Samples => Interlocked.Read(ref _samples);

    public long Requests => Interlocked.Read(ref _requests);

    public List<double> LatenciesMs
    {
        get { lock (_gate) return [.. _latencies]; }
    }

    public static async Task<Sink> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        var sink = new Sink(app);
        app.Run(sink.HandleAsync);
        await app.StartAsync();
        sink.Port = new Uri(app.Urls.First()).Port;
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var message = await GrpcMessageReader.ReadSingleAsync(context.Request.Body, context.Request.Headers[GrpcProtocol.EncodingHeader], 64 * 1024 * 1024, context.RequestAborted);
        var request = ExportProfilesServiceRequest.Parser.ParseFrom(message.Span);
        long samples = 0;
        foreach (var resource in request.ResourceProfiles)
        {
            foreach (var attribute in resource.Resource?.Attributes ?? [])
            {
                if (attribute.Key != Payloads.SentAttribute) continue;
                var latency = Stopwatch.GetElapsedTime(attribute.Value.IntValue).TotalMilliseconds;
                lock (_gate) _latencies.Add(latency);
            }
            foreach (var scope in resource.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles) samples += profile.Samples.Count;
            }
        }
        Interlocked.Add(ref _samples, samples);
        Interlocked.Increment(ref _requests);
        context.Response.ContentType = GrpcProtocol.ContentType;
        await context.Response.Body.WriteAsync(EmptyResponse, context.RequestAborted);
        context.Response.AppendTrailer(GrpcProtocol.StatusHeader, "0");
    }
}
