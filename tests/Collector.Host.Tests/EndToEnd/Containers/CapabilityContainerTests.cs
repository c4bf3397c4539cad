using System.Globalization;
using Collector.Host.Tests.Support;
using Collector.Receivers.Ebpf;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// Least privilege, in real containers: the sidecar of <see cref="SidecarContainerTests"/> started once per documented
/// capability with that one dropped. Without a required one it exits 1 naming it; without an optional one it names
/// it (and only it among those granted), keeps running and keeps exporting, losing what docs/deploy.md says.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class CapabilityContainerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_missing_capability_is_named_required_ones_stop_the_collector_and_optional_ones_degrade()
    {
        await using var pod = await WorkloadPod.StartAsync(output);
        var required = AgentCapabilities.Required.Select(c => c.Name).ToHashSet();
        foreach (var dropped in Podman.AgentCapabilities)
        {
            var granted = Podman.AgentCapabilities.Where(c => c != dropped).ToList();
            var collector = await pod.StartCollectorAsync("drop-" + dropped.ToLowerInvariant().Replace('_', '-'),
                CollectorContainer.AgentConfig(CollectorContainer.FileExporter, "file"), granted);
            if (required.Contains(dropped))
            {
                var code = await collector.WaitForExitAsync();
                var logs = await collector.LogsAsync();
                output.WriteLine($"without {dropped}: exit code {code}; {logs.Split('\n').FirstOrDefault(l => l.Contains($"Missing capability CAP_{dropped}", StringComparison.Ordinal))}");
                Assert.Equal(1, code);
                Assert.Contains($"Missing capability CAP_{dropped}", logs, StringComparison.Ordinal);
                continue;
            }
            await collector.WaitUntilAsync(() => ContainerWorkload.ReadSamples(collector.ProfilesFile).Count >= 10,
                TimeSpan.FromSeconds(60), "10 samples exported");
            Assert.Equal(0, await collector.StopAsync());
            var stopped = await collector.LogsAsync();
            var samples = ContainerWorkload.ReadSamples(collector.ProfilesFile);
            var hot = samples.Count(ContainerWorkload.IsHot);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"without {dropped}: kept running, exit code 0 after SIGTERM, {samples.Count} samples exported, {hot} naming {ContainerWorkload.HotFunction}"));
            Assert.Contains($"Missing capability CAP_{dropped}:", stopped, StringComparison.Ordinal);
            foreach (var other in granted.Where(c => !required.Contains(c)))
            {
                Assert.DoesNotContain($"Missing capability CAP_{other}:", stopped, StringComparison.Ordinal);
            }
            if (dropped == "SYS_PTRACE")
            {
                // As documented: the workload (root) is another user's process, whose maps the collector (10001) cannot read.
                Assert.Equal(0, hot);
            }
        }
    }
}
