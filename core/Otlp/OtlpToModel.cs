using Collector.Core.Model;
using Collector.Core.Otlp.Proto.Collector;

namespace Collector.Core.Otlp;

/// <summary>Resolves an OTLP export's indices into the model. Throws <see cref="OtlpFormatException"/> naming any index out of range.</summary>
public static class OtlpToModel
{
    public static ProfileBatch ToBatch(ExportProfilesServiceRequest request) => throw new NotImplementedException("codec work in progress");
}
