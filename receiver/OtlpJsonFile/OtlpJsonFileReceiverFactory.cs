using Collector.Core.Components;

namespace Collector.Receivers.OtlpJsonFile;

public sealed class OtlpJsonFileReceiverFactory : ReceiverFactory<OtlpJsonFileReceiverOptions>
{
    public override string Type => "otlp_json_file";

    public override string Description => "Replays files of OTLP/JSON profile exports, one per line (plain or .gz), optionally following them as they grow.";

    protected override IReceiver Create(ComponentCreateSettings settings, OtlpJsonFileReceiverOptions options, IProfilesConsumer next) =>
        new OtlpJsonFileReceiver(settings, options, next);
}
