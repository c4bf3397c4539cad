using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

public class AgentCapabilitiesTests
{
    private static ulong Mask(params int[] numbers) => numbers.Aggregate(0UL, (mask, number) => mask | (1UL << number));

    [Fact]
    public void With_every_capability_nothing_is_missing() => Assert.Empty(AgentCapabilities.MissingOptional(ulong.MaxValue));

    [Fact]
    public void Without_any_every_optional_one_is_named_with_its_cost()
    {
        var missing = AgentCapabilities.MissingOptional(0);
        Assert.Equal(AgentCapabilities.Optional.Select(c => c.Name), missing.Select(c => c.Name));
        Assert.All(missing, capability => Assert.False(string.IsNullOrWhiteSpace(capability.CostWhenMissing)));
    }

    [Fact]
    public void Only_the_absent_ones_are_named_and_sys_admin_stands_in_for_checkpoint_restore()
    {
        var all = Mask([.. AgentCapabilities.Optional.Select(c => c.Number)]);
        Assert.Equal(["SYS_PTRACE"], AgentCapabilities.MissingOptional(all & ~Mask(19)).Select(c => c.Name));
        Assert.Empty(AgentCapabilities.MissingOptional((all & ~Mask(40)) | Mask(21)));
    }

    [Fact]
    public void Sys_resource_is_named_only_where_the_kernel_charges_bpf_maps_to_the_memlock_limit()
    {
        var all = Mask([.. AgentCapabilities.Optional.Select(c => c.Number)]);
        var withoutSysResource = all & ~Mask(24);
        Assert.Equal(["SYS_RESOURCE"], AgentCapabilities.MissingOptional(withoutSysResource, new Version(5, 10, 200)).Select(c => c.Name));
        Assert.Equal(["SYS_RESOURCE"], AgentCapabilities.MissingOptional(withoutSysResource).Select(c => c.Name)); // kernel unknown
        Assert.Empty(AgentCapabilities.MissingOptional(withoutSysResource, new Version(5, 11)));
        Assert.Empty(AgentCapabilities.MissingOptional(withoutSysResource, new Version(6, 18, 44)));
    }

    [Fact]
    public void The_deploy_guide_lists_every_capability()
    {
        var guide = File.ReadAllText(Path.Combine(ExternalTools.RepositoryRoot, "docs", "deploy.md"));
        Assert.All(AgentCapabilities.Required.Concat(AgentCapabilities.Optional), capability => Assert.Contains($"`{capability.Name}`", guide, StringComparison.Ordinal));
    }
}
