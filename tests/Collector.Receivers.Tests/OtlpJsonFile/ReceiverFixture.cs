using Collector.Core.Components;
using Collector.Receivers.OtlpJsonFile;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.OtlpJsonFile;

/// <summary>A receiver over a temp directory, feeding a capturing consumer; shut down on dispose.</summary>
internal sealed class ReceiverFixture : IAsyncDisposable
{
    private readonly List<OtlpJsonFileReceiver> _receivers = [];

    public TempDirectory Directory { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    public TestHost Host { get; } = new();

    public string PathOf(string name) => Directory.File(name);

    public OtlpJsonFileReceiver Create(CapturingConsumer consumer, params string[] include) => Create(consumer, new OtlpJsonFileReceiverOptions { Include = [.. include] });

    public OtlpJsonFileReceiver Create(CapturingConsumer consumer, OtlpJsonFileReceiverOptions options)
    {
        var receiver = new OtlpJsonFileReceiver(Settings.For("otlp_json_file", ComponentKind.Receiver, logs: Logs), options, consumer);
        _receivers.Add(receiver);
        return receiver;
    }

    /// <summary>Starts the receiver and waits until a one-time replay has read everything.</summary>
    public async Task ReplayAsync(OtlpJsonFileReceiver receiver)
    {
        await receiver.StartAsync(Host, CancellationToken.None);
        await receiver.Reading.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var receiver in _receivers) await receiver.ShutdownAsync(CancellationToken.None);
        Assert.Empty(Host.FatalErrors);
        Directory.Dispose();
    }
}
