namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// The collector image in a container of its own: a config and an output directory shared with the test (writable by
/// the image's non-root user), started detached, stopped with SIGTERM as an orchestrator would.
/// </summary>
internal sealed class CollectorContainer
{
    private CollectorContainer(string name, string output)
    {
        Name = name;
        Output = output;
    }

    public string Name { get; }

    /// <summary>The directory mounted at /out.</summary>
    public string Output { get; }

    /// <summary>The eBPF agent pipeline the tests run: samples at 99 Hz, names frames, reports every second.</summary>
    public static string AgentConfig(string exporters, string exporterList) => $"""
        receivers:
          ebpf_profiling:
            samples_per_second: 99
            report_interval: 1s
        processors:
          pid_lifecycle: {"{}"}
          symbolization: {"{}"}
        exporters:
        {exporters}
        service:
          pipelines:
            profiles:
              receivers: [ebpf_profiling]
              processors: [pid_lifecycle, symbolization]
              exporters: [{exporterList}]
          telemetry:
            metrics:
              level: none
        """;

    public const string FileExporter = """
          file:
            path: /out/profiles.jsonl
            format: json
        """;

    /// <summary>Starts the image with <paramref name="config"/> and <paramref name="options"/> (namespaces, capabilities).</summary>
    public static async Task<CollectorContainer> StartAsync(string name, string directory, string config, params string[] options)
    {
        var output = Path.Combine(directory, name);
        Directory.CreateDirectory(output);
        // The image's user (10001) writes here.
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(output, (UnixFileMode)0b111_111_111);
        var configPath = Path.Combine(output, "collector.yaml");
        await File.WriteAllTextAsync(configPath, config);
        await Podman.RunAsync([.. new[] { "run", "-d", "--name", name }, .. options,
            "-v", $"{output}:/out", Podman.CollectorImage, "--config", "/out/collector.yaml"]);
        return new CollectorContainer(name, output);
    }

    public string ProfilesFile => Path.Combine(Output, "profiles.jsonl");

    public Task<string> LogsAsync() => Podman.LogsAsync(Name);

    public async Task<bool> IsRunningAsync() => await Podman.InspectAsync(Name, "{{.State.Running}}") == "true";

    /// <summary>Waits for <paramref name="condition"/>; fails with the logs when the container exits or time runs out.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (!await IsRunningAsync()) Assert.Fail($"{Name} exited before {what}:\n{await LogsAsync()}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}:\n{await LogsAsync()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits until the logs hold <paramref name="text"/>; fails when the container exits first or time runs out.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(await LogsAsync()).Contains(text, StringComparison.Ordinal))
        {
            if (!await IsRunningAsync()) Assert.Fail($"{Name} exited before logging \"{text}\":\n{await LogsAsync()}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"{Name} did not log \"{text}\" in time:\n{await LogsAsync()}");
            await Task.Delay(250);
        }
    }

    /// <summary>SIGTERM, then the exit code (podman kills after 30 s, which fails the caller's exit-code check).</summary>
    public async Task<int> StopAsync()
    {
        await Podman.RunAsync(TimeSpan.FromMinutes(1), "stop", "-t", "30", Name);
        return int.Parse(await Podman.InspectAsync(Name, "{{.State.ExitCode}}"), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the container to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync() =>
        int.Parse(await Podman.RunAsync(TimeSpan.FromMinutes(1), "wait", Name), System.Globalization.CultureInfo.InvariantCulture);
}
