using Collector.Core.Otlp.Proto.Collector;

namespace Collector.Core.Otlp;

/// <summary>
/// Checks that an export stands alone: index 0 of every dictionary table is the zero value, every index is in
/// range, no table holds duplicates, no entry is unreferenced, no attribute list repeats a key, and no
/// <c>KeyValue</c> sets both <c>key</c> and <c>key_strindex</c>. Used by tests and by the receivers.
/// </summary>
public static class ExportValidator
{
    /// <summary>Every problem found, each naming the field path; empty when the export is self-contained.</summary>
    public static IReadOnlyList<string> Validate(ExportProfilesServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ExportValidation(request).Run();
    }
}
