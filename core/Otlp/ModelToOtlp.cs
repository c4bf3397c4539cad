using Collector.Core.Model;
using Collector.Core.Otlp.Proto.Collector;

namespace Collector.Core.Otlp;

/// <summary>
/// Builds a self-contained OTLP export from a batch: a fresh dictionary per call, index 0 of every table the
/// zero value, each entity once, nothing unreferenced. Raw samples are included unsymbolized (addresses only).
/// </summary>
public static class ModelToOtlp
{
    public static ExportProfilesServiceRequest ToRequest(ProfileBatch batch) => throw new NotImplementedException("codec work in progress");
}
