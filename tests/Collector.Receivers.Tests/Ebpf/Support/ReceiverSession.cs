using Collector.Bpf;
using Collector.Core.Components;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>An ebpf_profiling receiver started against a capturing consumer, stopped (drained) on demand or dispose.</summary>
internal sealed class ReceiverSession : IAsyncDisposable
{
    private bool _stopped;

    private ReceiverSession(EbpfProfilingReceiver receiver, CapturingConsumer consumer, TestHost host)
    {
        Receiver = receiver;
        Consumer = consumer;
        Host = host;
    }

    public EbpfProfilingReceiver Receiver { get; }

    public CapturingConsumer Consumer { get; }

    public TestHost Host { get; }

    public static async Task<ReceiverSession> StartAsync(ITestOutputHelper output, EbpfProfilingOptions options)
    {
        Assert.Empty(options.Validate());
        var settings = Settings.For("ebpf_profiling", ComponentKind.Receiver, logs: new TestOutputLoggerFactory(output));
        var consumer = new CapturingConsumer(KernelClock.MonotonicNanos);
        var host = new TestHost();
        var receiver = (EbpfProfilingReceiver)new EbpfProfilingReceiverFactory().CreateReceiver(settings, options, consumer);
        await receiver.StartAsync(host, CancellationToken.None);
        return new ReceiverSession(receiver, consumer, host);
    }

    /// <summary>Shuts the receiver down, which drains the ring buffer and sends what it held.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Receiver.ShutdownAsync(timeout.Token);
        Assert.Empty(Host.FatalErrors);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
