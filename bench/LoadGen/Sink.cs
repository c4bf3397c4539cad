using System.Diagnostics;
using System.Net;
using Collector.Otlp.Proto.Collector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Collector.Bench;

/// <summary>The backend the collector forwards to: h2c on 127.0.0.1, counting samples and end-to-end latency.</summary>
internal sealed class Sink : IAsyncDisposable
{
    private static readonly ExportProfilesServiceResponse EmptyResponse = new();

    private WebApplication _app = null!;
    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private long _samples;
    private long _requests;

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
        var sink = new Sink();
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(new SinkService(sink));
        var app = builder.Build();
        sink._app = app;
        app.MapGrpcService<SinkService>();
        await app.StartAsync();
        sink.Port = new Uri(app.Urls.First()).Port;
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private ExportProfilesServiceResponse Receive(ExportProfilesServiceRequest request)
    {
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
        return EmptyResponse;
    }

    /// <summary>The generated service, served by Grpc.AspNetCore.</summary>
    private sealed class SinkService(Sink sink) : ProfilesService.ProfilesServiceBase
    {
        public override Task<ExportProfilesServiceResponse> Export(ExportProfilesServiceRequest request, Grpc.Core.ServerCallContext context) =>
            Task.FromResult(sink.Receive(request));
    }
}
