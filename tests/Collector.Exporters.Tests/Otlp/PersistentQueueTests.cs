using Collector.Exporters.Otlp;
using Collector.Exporters.Tests.Otlp.Support;
using Collector.Protocol.Grpc;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>
/// The persistent sending queue (<c>sending_queue.storage</c> naming a <c>file_storage</c> extension): on disk
/// before ConsumeAsync returns, replayed in order after a crash, damaged records skipped and counted.
/// </summary>
public sealed class PersistentQueueTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task What_a_crash_leaves_on_disk_is_delivered_in_order_after_a_restart()
    {
        var port = FreePort.Next();
        var storage = Storage("before-crash");
        var crashed = Exporter(port, storage);
        await crashed.StartAsync(new ExtensionHost(storage), default);
        for (var i = 0; i < 12; i++) await crashed.ConsumeAsync(TestBatches.Simple(4, pid: 1000 + i), default);

        // The disk as a kill -9 right now would leave it: every acknowledged request is there.
        var snapshot = CopyOf(storage);
        await crashed.ShutdownAsync(new CancellationToken(canceled: true));
        Assert.Equal(12, RecordFiles(snapshot).Length);

        await using var sink = await GrpcSink.StartAsync(port);
        var restored = TestExporters.Storage(snapshot);
        await restored.StartAsync(new ExtensionHost(), default);
        var restarted = Exporter(port, restored, consumers: 1);
        await restarted.StartAsync(new ExtensionHost(restored), default);
        await Eventually.HoldsAsync(() => sink.Received.Count == 12, Patience, () => $"{sink.Received.Count} of 12 delivered");
        await restarted.ShutdownAsync(default);

        Assert.Equal(Enumerable.Range(1000, 12).Select(p => (long)p), sink.Received.Select(Pid));
        Assert.All(sink.Received, r => Records.AssertSelfContained(r.Request));
        Assert.Equal(48, restarted.SentSamples);
        Assert.Empty(RecordFiles(snapshot));
    }

    [Fact]
    public async Task Damaged_and_torn_records_are_skipped_counted_and_set_aside()
    {
        var port = FreePort.Next();
        var storage = Storage("damaged");
        var first = Exporter(port, storage);
        await first.StartAsync(new ExtensionHost(storage), default);
        for (var i = 0; i < 4; i++) await first.ConsumeAsync(TestBatches.Simple(2, pid: i), default);
        await first.ShutdownAsync(new CancellationToken(canceled: true));

        var files = RecordFiles(storage.DirectoryFor(Core.Components.ComponentKind.Exporter, Core.Components.ComponentId.Of("otlp_grpc")));
        Assert.Equal(4, files.Length);
        FlipByte(files[1], offset: -10);
        Truncate(files[2], by: 7);
        System.IO.File.WriteAllBytes(Path.ChangeExtension(files[3], ".tmp"), [1, 2, 3]);

        await using var sink = await GrpcSink.StartAsync(port);
        var logs = new CapturingLoggerFactory();
        var second = Exporter(port, storage, consumers: 1, logs: logs);
        await second.StartAsync(new ExtensionHost(storage), default);
        await Eventually.HoldsAsync(() => sink.Received.Count == 2 && second.CorruptRecords == 2, Patience, () => $"{sink.Received.Count} delivered, {second.CorruptRecords} corrupt");
        await second.ShutdownAsync(default);

        Assert.Equal([0L, 3L], sink.Received.Select(Pid));
        Assert.Equal(2, second.CorruptRecords);
        var directory = Path.GetDirectoryName(files[0])!;
        Assert.Equal(2, Directory.GetFiles(directory, "*.corrupt").Length);
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
        Assert.Contains(logs.At(LogLevel.Error), m => m.Contains("checksum mismatch", StringComparison.Ordinal));
        Assert.Contains(logs.At(LogLevel.Error), m => m.Contains("torn write", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_shutdown_that_runs_out_of_time_keeps_the_queue_on_disk_instead_of_losing_it()
    {
        var port = FreePort.Next();
        var storage = Storage("kept");
        var logs = new CapturingLoggerFactory();
        var first = Exporter(port, storage, logs: logs);
        await first.StartAsync(new ExtensionHost(storage), default);
        for (var i = 0; i < 3; i++) await first.ConsumeAsync(TestBatches.Simple(5, pid: i), default);
        using var hurry = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await first.ShutdownAsync(hurry.Token);

        Assert.Equal(0, first.SendFailedSamples);
        Assert.Contains(logs.At(LogLevel.Warning), m => m.Contains("3 queued requests (15 samples) stay in", StringComparison.Ordinal));

        await using var sink = await GrpcSink.StartAsync(port);
        var second = Exporter(port, storage);
        await second.StartAsync(new ExtensionHost(storage), default);
        await Eventually.HoldsAsync(() => sink.Received.Count == 3, Patience, () => $"{sink.Received.Count} of 3 delivered");
        await second.ShutdownAsync(default);
    }

    [Fact]
    public async Task A_permanently_refused_request_is_removed_from_disk()
    {
        await using var sink = await GrpcSink.StartAsync();
        sink.Reply = _ => GrpcReply.Status(GrpcStatusCode.InvalidArgument, "no");
        var storage = Storage("refused");
        var exporter = Exporter(sink.Port, storage);
        await exporter.StartAsync(new ExtensionHost(storage), default);

        await exporter.ConsumeAsync(TestBatches.Simple(3), default);
        await Eventually.HoldsAsync(() => exporter.SendFailedSamples == 3, Patience, () => "the refusal");
        await exporter.ShutdownAsync(default);

        Assert.Empty(RecordFiles(storage.DirectoryFor(Core.Components.ComponentKind.Exporter, Core.Components.ComponentId.Of("otlp_grpc"))));
    }

    [Fact]
    public async Task Storage_must_name_a_file_storage_extension_the_host_started()
    {
        var exporter = TestExporters.Grpc("127.0.0.1:1", o => o.SendingQueue.Storage = "file_storage/missing");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => exporter.StartAsync(new ExtensionHost(), default));

        Assert.Contains("file_storage/missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("service.extensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_exporter_id_gets_a_directory_of_its_own()
    {
        var storage = Storage("layout");
        var a = TestExporters.Grpc("127.0.0.1:1", o => o.SendingQueue.Storage = "file_storage", id: "otlp_grpc/a");
        var b = TestExporters.Http("http://127.0.0.1:1", o => o.SendingQueue.Storage = "file_storage", id: "otlp_http/b.é");
        await a.StartAsync(new ExtensionHost(storage), default);
        await b.StartAsync(new ExtensionHost(storage), default);
        await a.ConsumeAsync(TestBatches.Simple(1), default);

        var root = Path.Combine(_dir.Path, "layout");
        Assert.Equal(["exporter_otlp_grpc_a", "exporter_otlp_http_b.~00e9"], Directory.GetDirectories(root).Select(Path.GetFileName).Order());
        Assert.Single(RecordFiles(Path.Combine(root, "exporter_otlp_grpc_a")));
        await a.ShutdownAsync(new CancellationToken(canceled: true));
        await b.ShutdownAsync(new CancellationToken(canceled: true));
    }

    private Extensions.FileStorage.FileStorageExtension Storage(string name)
    {
        var directory = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(directory);
        var storage = TestExporters.Storage(directory);
        storage.StartAsync(new ExtensionHost(), default).GetAwaiter().GetResult();
        return storage;
    }

    private static OtlpExporter Exporter(int port, Extensions.FileStorage.FileStorageExtension storage, int consumers = 4, ILoggerFactory? logs = null) =>
        TestExporters.Grpc($"127.0.0.1:{port}", o =>
        {
            o.SendingQueue.Storage = storage.Id.ToString();
            o.SendingQueue.NumConsumers = consumers;
        }, logs: logs);

    private string CopyOf(Extensions.FileStorage.FileStorageExtension storage)
    {
        var source = Path.GetDirectoryName(storage.DirectoryFor(Core.Components.ComponentKind.Exporter, Core.Components.ComponentId.Of("otlp_grpc")))!;
        var target = Path.Combine(_dir.Path, "snapshot-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            System.IO.File.Copy(file, copy);
        }
        return target;
    }

    private static string[] RecordFiles(string directory) =>
        Directory.GetFiles(directory, "*.req", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    private static long Pid(ReceivedRequest request) =>
        request.Request.ResourceProfiles[0].Resource.Attributes.Single(a => a.Key == "process.pid").Value.IntValue;

    private static void FlipByte(string path, int offset)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        bytes[bytes.Length + offset] ^= 0x40;
        System.IO.File.WriteAllBytes(path, bytes);
    }

    private static void Truncate(string path, int by)
    {
        using var file = new FileStream(path, FileMode.Open);
        file.SetLength(file.Length - by);
    }
}
