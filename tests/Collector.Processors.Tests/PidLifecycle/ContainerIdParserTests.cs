using Collector.Processors.PidLifecycle;

namespace Collector.Processors.Tests.PidLifecycle;

public class ContainerIdParserTests
{
    private const string Id = "3f1a6c0a9e8d7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080";

    [Theory]
    // docker, cgroup v1 (cgroupfs driver) and v2 (systemd driver)
    [InlineData("12:memory:/docker/" + Id)]
    [InlineData("0::/system.slice/docker-" + Id + ".scope")]
    // containerd under Kubernetes, v1 and v2
    [InlineData("11:cpu,cpuacct:/kubepods/burstable/pod8d8f3c0e-4b9f-4a51-9d1c-3a5e2b7c6d10/" + Id)]
    [InlineData("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8d8f3c0e_4b9f_4a51_9d1c_3a5e2b7c6d10.slice/cri-containerd-" + Id + ".scope")]
    // cri-o, v1 (cgroupfs) and v2 (systemd)
    [InlineData("4:pids:/kubepods/besteffort/pod2c1a/crio-" + Id)]
    [InlineData("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod2c1a.slice/crio-" + Id + ".scope")]
    // podman, v1 and v2 (rootful and rootless)
    [InlineData("1:name=systemd:/machine.slice/libpod-" + Id + ".scope")]
    [InlineData("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + Id + ".scope/container")]
    [InlineData("0::/machine.slice/libpod-" + Id + ".scope")]
    public void Each_runtime_layout_yields_the_container_id(string line) => Assert.Equal(Id, ContainerIdParser.FromCgroupLine(line));

    [Theory]
    [InlineData("0::/")]
    [InlineData("0::/user.slice/user-1000.slice/session-3.scope")]
    [InlineData("4:memory:/process_api/6e0aaa0a1745a0de93d97fad1f625f53")]
    [InlineData("0::/system.slice/docker-" + "3f1a6c0a9e8d7b6c" + ".scope")]
    // conmon runs beside the container, not in it
    [InlineData("0::/machine.slice/libpod-conmon-" + Id + ".scope")]
    [InlineData("0::/kubepods.slice/crio-conmon-" + Id + ".scope")]
    public void Paths_without_a_container_give_none(string line) => Assert.Null(ContainerIdParser.FromCgroupLine(line));

    [Fact]
    public void A_whole_v1_file_with_the_id_on_some_hierarchies_gives_it()
    {
        var file = string.Join("\n",
            "12:pids:/docker/" + Id,
            "11:cpuset:/docker/" + Id,
            "1:name=systemd:/docker/" + Id,
            "0::/");

        Assert.Equal(Id, ContainerIdParser.FromCgroupFile(file));
    }

    [Fact]
    public void The_innermost_id_wins_in_nested_containers()
    {
        const string outer = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

        Assert.Equal(Id, ContainerIdParser.FromCgroupLine("0::/docker/" + outer + "/docker/" + Id));
    }
}
