using Collector.Processors.PidLifecycle;

namespace Collector.Processors.Tests.PidLifecycle;

public class PidLifecycleOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = new PidLifecycleOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(8192, options.MaxProcesses);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RescanInterval);
        Assert.Equal("/proc", options.ProcRoot);
    }

    [Fact]
    public void Each_bad_value_names_its_key()
    {
        var options = new PidLifecycleOptions { MaxProcesses = 0, RescanInterval = TimeSpan.FromSeconds(-1), ProcRoot = "proc" };

        Assert.Equal(["max_processes", "rescan_interval", "proc_root"], options.Validate().Select(e => e.Key));
    }

    [Fact]
    public void The_factory_is_the_pid_lifecycle_processor()
    {
        var factory = new PidLifecycleProcessorFactory();

        Assert.Equal("pid_lifecycle", factory.Type);
        Assert.Equal(Core.Components.ComponentKind.Processor, factory.Kind);
        Assert.IsType<PidLifecycleOptions>(factory.CreateDefaultOptions());
    }
}
