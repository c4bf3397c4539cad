using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Collector.Receivers.Otlp;

/// <summary>
/// What Grpc.AspNetCore maps for the receiver: <c>ProfilesService/Export</c>, named from the generated descriptor
/// and handled by <see cref="GrpcExportService"/>. Why not map the generated service directly: its marshaller
/// lets a protobuf parse error escape, which Grpc.AspNetCore answers UNKNOWN ("Exception was thrown by
/// handler"); ours answers INVALID_ARGUMENT with the parser's reason, which is as permanent and says whose
/// fault it is. This class is the type Grpc.AspNetCore activates; it carries no generated binding of its own.
/// </summary>
internal sealed class GrpcExportBinding(GrpcExportService service)
{
    public static readonly Method<ExportProfilesServiceRequest, ExportProfilesServiceResponse> Export = new(
        MethodType.Unary,
        ProfilesService.Descriptor.FullName,
        ProfilesService.Descriptor.Methods[0].Name,
        Marshallers.Create<ExportProfilesServiceRequest>(Write, ParseRequest),
        Marshallers.Create<ExportProfilesServiceResponse>(Write, static context => ExportProfilesServiceResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence())));

    public GrpcExportService Service => service;

    private static void Write(IMessage message, SerializationContext context)
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static ExportProfilesServiceRequest ParseRequest(DeserializationContext context)
    {
        try
        {
            return ExportProfilesServiceRequest.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the message is not a valid ExportProfilesServiceRequest: " + error.Message));
        }
    }

    /// <summary>Adds the one method; Grpc.AspNetCore's own binder finds nothing to bind on this type.</summary>
    internal sealed class Provider : IServiceMethodProvider<GrpcExportBinding>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<GrpcExportBinding> context) =>
            context.AddUnaryMethod(Export, [], static (binding, request, call) => binding.Service.Export(request, call));
    }
}
