using Collector.Core.Components;

namespace Collector.Receivers.Ebpf;

public sealed class EbpfProfilingReceiverFactory : ReceiverFactory<EbpfProfilingOptions>
{
    public override string Type => "ebpf_profiling";

    public override string Description => "Samples the CPU of every process (or the targeted ones) with eBPF: raw kernel and user stacks, exec/fork/exit events and a watermark.";

    protected override IReceiver Create(ComponentCreateSettings settings, EbpfProfilingOptions options, IProfilesConsumer next) =>
        new EbpfProfilingReceiver(settings, options, next);
}
