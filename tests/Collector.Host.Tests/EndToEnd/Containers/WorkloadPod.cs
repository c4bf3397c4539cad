using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// A podman pod sharing one pid and network namespace (Kubernetes' shareProcessNamespace) with the spinning workload
/// running in it, and the collector containers a test adds beside it; all removed on dispose.
/// </summary>
internal sealed class WorkloadPod : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly List<string> _containers = [];

    private WorkloadPod(TempDirectory directory, string pod)
    {
        _directory = directory;
        Pod = pod;
    }

    public string Pod { get; }

    public string WorkloadName { get; private set; } = "";

    /// <summary>podman's id of the workload's container.</summary>
    public string WorkloadId { get; private set; } = "";

    /// <summary>The workload's pid as it printed it: in the pod's pid namespace.</summary>
    public int WorkloadPid { get; private set; }

    /// <summary>Checks the prerequisites, builds the images and the workload, and starts the pod with the workload in it.</summary>
    public static async Task<WorkloadPod> StartAsync(ITestOutputHelper log)
    {
        Podman.Require();
        await Podman.EnsureImagesAsync(log);
        var pod = new WorkloadPod(new TempDirectory(), Podman.UniqueName("pod"));
        try
        {
            var workload = ContainerWorkload.Build(pod._directory.Path);
            await Podman.RunAsync("pod", "create", "--name", pod.Pod, "--share", "pid,ipc,uts,net");
            pod.WorkloadName = Podman.UniqueName("workload");
            pod._containers.Add(pod.WorkloadName);
            (pod.WorkloadId, pod.WorkloadPid) = await workload.StartAsync(pod.WorkloadName, "--pod", pod.Pod);
            return pod;
        }
        catch
        {
            await pod.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the collector image in the pod with <paramref name="config"/>, as the examples run it, granting only <paramref name="capabilities"/>.</summary>
    public async Task<CollectorContainer> StartCollectorAsync(string role, string config, IEnumerable<string> capabilities)
    {
        var name = Podman.UniqueName(role);
        _containers.Add(name);
        return await CollectorContainer.StartAsync(name, _directory.Path, config, [.. new[] { "--pod", Pod }, .. Podman.CollectorSecurity(capabilities)]);
    }

    public async ValueTask DisposeAsync()
    {
        // Collectors first: the workload goes last so that nothing it runs beside is left without it.
        _containers.Reverse();
        await Podman.RemoveAsync([.. _containers], Pod);
        _directory.Dispose();
    }
}
