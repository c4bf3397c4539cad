using Collector.Core.Components;

namespace Collector.Receivers.Otlp;

public sealed class OtlpReceiverFactory : ReceiverFactory<OtlpReceiverOptions>
{
    public override string Type => "otlp";

    public override string Description => "Receives OTLP profiles over gRPC (ProfilesService/Export) and HTTP (POST /v1development/profiles, protobuf or JSON).";

    protected override IReceiver Create(ComponentCreateSettings settings, OtlpReceiverOptions options, IProfilesConsumer next) =>
        new OtlpReceiver(settings, options, next);
}
