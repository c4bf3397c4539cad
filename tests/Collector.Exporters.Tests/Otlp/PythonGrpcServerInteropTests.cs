using System.Diagnostics;
using System.Text.RegularExpressions;
using Collector.Core.Model;
using Collector.Exporters.Tests.Interop;
using Collector.Exporters.Tests.Otlp.Support;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>
/// otlp_grpc sends to a gRPC server we did not write (grpcio, tests/interop/grpc-server/otlp_grpc_server.py),
/// over h2c with gzip; the bytes it received decode to exactly what was exported.
/// </summary>
public partial class PythonGrpcServerInteropTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"^listening (\d+)$")]
    private static partial Regex Listening();

    [Fact]
    public async Task A_grpcio_server_receives_exactly_the_exported_requests()
    {
        ExternalTools.Require(ExternalTools.OnPath("protoc"), "protoc is not installed (Debian package protobuf-compiler)");
        ExternalTools.Require(PythonHasGrpc(), $"{ExternalTools.SystemPython} cannot import grpc and google.protobuf (Debian packages python3-grpcio, python3-protobuf)");
        using var dir = new TempDirectory();
        var recordFile = dir.File("received.bin");
        using var server = StartServer(recordFile);
        var port = await ReadPortAsync(server);

        ProfileBatch[] batches = [TestBatches.Known(), TestBatches.Simple(200, pid: 7, leaves: 40), TestBatches.Simple(1, pid: 8)];
        var exporter = TestExporters.Grpc($"127.0.0.1:{port}", o => o.Headers["x-api-key"] = "from-dotnet");
        await exporter.StartAsync(new TestHost(), default);
        foreach (var batch in batches) await exporter.ConsumeAsync(batch, default);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await exporter.ShutdownAsync(patience.Token);
        var log = await StopAsync(server);
        output.WriteLine(log);

        var received = ReadRecords(recordFile);
        var expected = batches.Select(b => ModelToOtlp.ToRequest(b).ToByteArray()).ToList();
        Assert.Equal(expected.Count, received.Count);
        foreach (var bytes in received)
        {
            Assert.Contains(expected, e => e.AsSpan().SequenceEqual(bytes));
            Records.AssertSelfContained(ExportProfilesServiceRequest.Parser.ParseFrom(bytes));
        }
        // grpcio failed the first call, and saw our retry, our header and our deadline.
        Assert.Contains("call 1 answered UNAVAILABLE", log, StringComparison.Ordinal);
        Assert.Equal(batches.Length, Regex.Matches(log, "api_key=from-dotnet deadline_ok=True").Count);
        Assert.Equal(batches.Sum(b => b.SampleCount), exporter.SentSamples);
        Assert.Equal(batches.Sum(b => b.SampleCount), Regex.Matches(log, @"samples=(\d+)").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static bool PythonHasGrpc() =>
        System.IO.File.Exists(ExternalTools.SystemPython)
        && ExternalTools.Run(ExternalTools.SystemPython, ["-c", "import grpc, google.protobuf"], stdin: null).ExitCode == 0;

    private static Process StartServer(string recordFile)
    {
        var start = new ProcessStartInfo(ExternalTools.SystemPython)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ExternalTools.RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(ExternalTools.RepositoryRoot, "tests/interop/grpc-server/otlp_grpc_server.py"));
        start.ArgumentList.Add(ExternalTools.ProtoRoot);
        start.ArgumentList.Add(recordFile);
        start.ArgumentList.Add("1");
        return Process.Start(start)!;
    }

    private static async Task<int> ReadPortAsync(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await server.StandardOutput.ReadLineAsync(timeout.Token);
        var match = Listening().Match(line ?? "");
        if (!match.Success)
        {
            var error = await server.StandardError.ReadToEndAsync(timeout.Token);
            Assert.Fail($"the Python server did not start: {line}\n{error}");
        }
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Closes the server's stdin (its signal to stop) and returns what it printed.</summary>
    private static async Task<string> StopAsync(Process server)
    {
        server.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = await server.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await server.StandardError.ReadToEndAsync(timeout.Token);
        await server.WaitForExitAsync(timeout.Token);
        Assert.True(server.ExitCode == 0, $"the Python server failed: {error}");
        return text;
    }

    private static List<byte[]> ReadRecords(string path)
    {
        var content = System.IO.File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (var offset = 0; offset < content.Length;)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset));
            records.Add(content.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }
        return records;
    }
}
