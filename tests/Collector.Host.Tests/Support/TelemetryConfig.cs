namespace Collector.Host.Tests.Support;

/// <summary>YAML pieces for telemetry tests; every endpoint on a free loopback port.</summary>
public static class TelemetryConfig
{
    /// <summary><c>service.telemetry</c> with the metrics endpoint on <paramref name="port"/>.</summary>
    public static string Telemetry(int port, string level = "normal") => $"""
          telemetry:
            metrics:
              level: {level}
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: localhost
                        port: {port}
        """;

    /// <summary>Copies the bundled recording into <paramref name="dir"/> (so appending to it harms nothing) and returns its path.</summary>
    public static string SampleCopy(TempDirectory dir)
    {
        var path = dir.File("sample.jsonl");
        File.Copy(Path.Combine(RepoPaths.Root, SampleRecording.RelativePath), path);
        return path;
    }

    /// <summary>Keeps appending the bundled recording's exports to a followed file until cancelled: data flows during scrapes.</summary>
    public static async Task KeepAppendingAsync(string path, CancellationToken stop)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, SampleRecording.RelativePath), stop);
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await File.AppendAllTextAsync(path, lines[i % lines.Length] + "\n", stop);
                await Task.Delay(100, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
