using Collector.Core.Components;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf;

public class EbpfProfilingReceiverFactoryTests(ITestOutputHelper output)
{
    private readonly EbpfProfilingReceiverFactory _factory = new();

    [Fact]
    public void Describes_the_ebpf_profiling_receiver_in_one_line()
    {
        Assert.Equal("ebpf_profiling", _factory.Type);
        Assert.Equal(ComponentKind.Receiver, _factory.Kind);
        Assert.DoesNotContain('\n', _factory.Description);
        Assert.IsType<EbpfProfilingOptions>(_factory.CreateDefaultOptions());
    }

    [Fact]
    public async Task Creating_loads_nothing_and_shutdown_without_start_is_a_no_op_twice()
    {
        var receiver = _factory.CreateReceiver(Settings(), _factory.CreateDefaultOptions(), new CapturingConsumer());
        await receiver.ShutdownAsync(CancellationToken.None);
        await receiver.ShutdownAsync(CancellationToken.None);
        Assert.Equal(0, ((EbpfProfilingReceiver)receiver).SamplesReceived);
    }

    private ComponentCreateSettings Settings() =>
        TestKit.Settings.For("ebpf_profiling", ComponentKind.Receiver, logs: new TestOutputLoggerFactory(output));
}
