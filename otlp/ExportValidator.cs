using Collector.Otlp.Proto.Collector;

namespace Collector.Otlp;

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
        return new ExportValidation(request).Run(recommendations: true);
    }

    /// <summary>
    /// Only what breaks a MUST of OTLP: a missing zero value, an index out of range, a key repeated in one
    /// attribute list, both key and key_strindex. Duplicate or unreferenced entries are left out: they make no
    /// export ambiguous, and peers such as the Collector forward them, so a receiver should accept them.
    /// </summary>
    public static IReadOnlyList<string> ValidateRequired(ExportProfilesServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ExportValidation(request).Run(recommendations: false);
    }
}
