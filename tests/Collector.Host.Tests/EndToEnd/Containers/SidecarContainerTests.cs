using System.Globalization;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// The collector as a sidecar, in real containers: a podman pod sharing one pid namespace (Kubernetes'
/// shareProcessNamespace), the workload in one container, the collector image in another, not privileged, a non-root
/// user with only the documented capabilities. The kernel reports the workload under its host pid; the collector
/// must name it under the pid the workload itself (and `ps` in the pod) sees, with podman's id for its container.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class SidecarContainerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_sidecar_names_the_workloads_hot_function_under_the_pid_and_container_id_the_workload_has()
    {
        await using var pod = await WorkloadPod.StartAsync(output);
        var hostPid = await Podman.InspectAsync(pod.WorkloadName, "{{.State.Pid}}");

        var collector = await pod.StartCollectorAsync("sidecar", CollectorContainer.AgentConfig(CollectorContainer.FileExporter, "file"), Podman.AgentCapabilities);
        await collector.WaitUntilAsync(() => ContainerWorkload.ReadSamples(collector.ProfilesFile).Count(ContainerWorkload.IsHot) >= 20,
            TimeSpan.FromSeconds(60), "20 samples naming the hot function");
        Assert.Equal("false", await Podman.InspectAsync(collector.Name, "{{.HostConfig.Privileged}}"));
        Assert.Equal("10001:10001", await Podman.InspectAsync(collector.Name, "{{.Config.User}}"));
        Assert.Equal(0, await collector.StopAsync());
        var logs = await collector.LogsAsync();
        output.WriteLine(logs.Length > 6000 ? logs[^6000..] : logs);

        var samples = ContainerWorkload.ReadSamples(collector.ProfilesFile);
        var hot = samples.Where(ContainerWorkload.IsHot).ToList();
        var pids = hot.Select(s => s.Pid).Distinct().ToList();
        var ids = hot.Select(ContainerWorkload.ContainerId).Distinct().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{samples.Count} samples exported (weight {samples.Sum(s => s.Weight)}), {hot.Count} in {ContainerWorkload.HotFunction} (weight {hot.Sum(s => s.Weight)}); "
            + $"workload pid {pod.WorkloadPid} in the pod, {hostPid} on the host; pids on those samples: {string.Join(',', pids)}; "
            + $"container.id: {string.Join(',', ids)}; podman's id: {pod.WorkloadId}"));

        Assert.True(hot.Count >= 20, $"only {hot.Count} samples of the hot function");
        Assert.Equal([(long)pod.WorkloadPid], pids);
        Assert.NotEqual(hostPid, pod.WorkloadPid.ToString(CultureInfo.InvariantCulture));
        Assert.Equal([pod.WorkloadId], ids);
        Assert.Contains("runs in a pid namespace of its own", logs, StringComparison.Ordinal);
    }
}
