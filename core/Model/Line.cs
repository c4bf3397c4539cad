namespace Collector.Core.Model;

/// <summary>One (possibly inlined) frame of a location: its function and source position (0 = unknown).</summary>
public sealed record Line(Function? Function, long LineNumber = 0, long Column = 0);
