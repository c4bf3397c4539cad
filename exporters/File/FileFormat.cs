namespace Collector.Exporters.File;

/// <summary>How each export is framed in the file.</summary>
public enum FileFormat
{
    /// <summary>One OTLP/JSON <c>ExportProfilesServiceRequest</c> per line.</summary>
    Json,

    /// <summary>Each export as a 4-byte big-endian length followed by the protobuf bytes.</summary>
    Proto,

    /// <summary>Folded stacks, one <c>process;root;…;leaf count</c> line per stack (flamegraph.pl, speedscope, Pyroscope).</summary>
    Folded,
}
