using System.Globalization;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// The collector as a node agent, in a real container: the host's pid namespace (a DaemonSet's hostPID), not
/// privileged, the documented capabilities. Two workload containers, each in a pid namespace of its own: each one's
/// samples carry the host pid the agent sees and its own container's id.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class NodeAgentContainerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_workload_containers_samples_carry_its_own_container_id()
    {
        Podman.Require();
        await Podman.EnsureImagesAsync(output);
        using var directory = new TempDirectory();
        var workload = ContainerWorkload.Build(directory.Path);
        string[] workloads = [Podman.UniqueName("workload-a"), Podman.UniqueName("workload-b")];
        var collectorName = Podman.UniqueName("node-agent");
        try
        {
            var hostPids = new Dictionary<long, string>();
            foreach (var name in workloads)
            {
                var (id, _) = await workload.StartAsync(name);
                hostPids[long.Parse(await Podman.InspectAsync(name, "{{.State.Pid}}"), CultureInfo.InvariantCulture)] = id;
            }

            var collector = await CollectorContainer.StartAsync(collectorName, directory.Path,
                CollectorContainer.AgentConfig(CollectorContainer.FileExporter, "file"),
                [.. new[] { "--pid", "host" }, .. Podman.CollectorSecurity(Podman.AgentCapabilities)]);
            await collector.WaitUntilAsync(() =>
            {
                var hot = ContainerWorkload.ReadSamples(collector.ProfilesFile).Where(ContainerWorkload.IsHot).ToList();
                return hostPids.Keys.All(pid => hot.Count(s => s.Pid == pid) >= 10);
            }, TimeSpan.FromSeconds(60), "10 samples of the hot function in each workload container");
            Assert.Equal("false", await Podman.InspectAsync(collectorName, "{{.HostConfig.Privileged}}"));
            Assert.Equal(0, await collector.StopAsync());

            var hotSamples = ContainerWorkload.ReadSamples(collector.ProfilesFile).Where(ContainerWorkload.IsHot).ToList();
            foreach (var (pid, id) in hostPids)
            {
                var own = hotSamples.Where(s => s.Pid == pid).ToList();
                var ids = own.Select(ContainerWorkload.ContainerId).Distinct().ToList();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"host pid {pid}: {own.Count} samples in {ContainerWorkload.HotFunction}, container.id {string.Join(',', ids)}; podman's id {id}"));
                Assert.True(own.Count >= 10, $"only {own.Count} samples of pid {pid}");
                Assert.Equal([id], ids);
            }
            Assert.All(hotSamples, sample => Assert.Contains(sample.Pid!.Value, hostPids.Keys));
        }
        finally
        {
            await Podman.RemoveAsync([collectorName, .. workloads]);
        }
    }
}
