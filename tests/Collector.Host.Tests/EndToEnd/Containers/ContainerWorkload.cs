using System.Globalization;
using Collector.Core.Model;
using Collector.Host.Tests.Support;
using Collector.Otlp;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// A C program that prints its pid (as its own pid namespace numbers it) and then spins in one distinctive function
/// for ever, built here and mounted read-only into containers of the Debian base image.
/// </summary>
internal sealed class ContainerWorkload
{
    public const string HotFunction = "spin_in_the_workload_container";

    private const string Source = """
        #include <stdio.h>
        #include <unistd.h>

        static volatile unsigned long sink;

        __attribute__((noinline)) void spin_in_the_workload_container(void)
        {
            for (unsigned long i = 0; i < 50000000UL; i++)
                sink += i * i;
        }

        int main(void)
        {
            printf("pid %d\n", getpid());
            fflush(stdout);
            for (;;)
                spin_in_the_workload_container();
        }
        """;

    private ContainerWorkload(string binary) => Binary = binary;

    public string Binary { get; }

    public static ContainerWorkload Build(string directory)
    {
        ExternalTools.Require("gcc", "gcc");
        var source = Path.Combine(directory, "spin.c");
        File.WriteAllText(source, Source);
        var binary = Path.Combine(directory, "spin");
        var (code, _, error) = ExternalTools.Run("gcc", ["-O1", "-g", "-fno-omit-frame-pointer", "-o", binary, source], stdin: null);
        Assert.True(code == 0, error);
        return new ContainerWorkload(binary);
    }

    /// <summary>podman run arguments after the options: the base image running the program, mounted read-only.</summary>
    public string[] Image => ["-v", $"{Binary}:/usr/local/bin/spin:ro", Podman.BaseImage, "/usr/local/bin/spin"];

    /// <summary>Starts it (detached, with <paramref name="options"/>) and returns podman's id and the pid it printed.</summary>
    public async Task<(string Id, int Pid)> StartAsync(string name, params string[] options)
    {
        var id = await Podman.RunAsync([.. new[] { "run", "-d", "--name", name }, .. options, .. Image]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var logs = await Podman.LogsAsync(name);
            var line = logs.Split('\n').FirstOrDefault(l => l.StartsWith("pid ", StringComparison.Ordinal));
            if (line is not null) return (id, int.Parse(line[4..].Trim(), CultureInfo.InvariantCulture));
            Assert.True(DateTime.UtcNow < deadline, $"workload {name} printed no pid: {logs}");
            await Task.Delay(100);
        }
    }

    /// <summary>The samples of the exports in <paramref name="path"/> (JSON lines), empty when there is no file yet.</summary>
    public static List<ExportedSample> ReadSamples(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = SafeLines(path);
        var batches = lines.Select(line => OtlpToModel.ToBatch(Otlp.OtlpJson.Parse(System.Text.Encoding.UTF8.GetBytes(line))));
        return [.. ExportedSample.All(batches)];
    }

    public static bool IsHot(ExportedSample sample) => sample.Frames.Any(frame => ExportedSample.FunctionName(frame) == HotFunction);

    public static string? ContainerId(ExportedSample sample) =>
        sample.Resource.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.ContainerId)?.Value?.StringValue;

    /// <summary>Complete lines only: the collector may be writing the last one.</summary>
    private static List<string> SafeLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : [.. text[..end].Split('\n').Where(line => line.Length > 0)];
    }
}
