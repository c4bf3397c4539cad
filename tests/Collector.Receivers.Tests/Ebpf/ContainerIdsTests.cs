using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

public class ContainerIdsTests
{
    private const string Id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";

    [Theory]
    [InlineData("/docker/" + Id)]
    [InlineData("/system.slice/docker-" + Id + ".scope")]
    [InlineData("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-" + Id + ".scope")]
    [InlineData("/kubepods/besteffort/pod0a1b2c3d-1111-2222-3333-444455556666/" + Id)]
    [InlineData("/machine.slice/libpod-" + Id + ".scope/container")]
    public void Finds_the_container_id_in_runtime_cgroup_paths(string path)
    {
        Assert.Equal(Id, ContainerIds.FromCgroupPath(path));
        Assert.True(ContainerIds.Matches(path, Id));
        Assert.True(ContainerIds.Matches(path, Id[..12]));
        Assert.False(ContainerIds.Matches(path, "000000000000"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/user.slice/user-0.slice/session-1.scope")]
    [InlineData("/docker/" + "3f4e5d6c7b8a")]
    public void Paths_without_a_full_id_have_none(string path) => Assert.Null(ContainerIds.FromCgroupPath(path));
}
