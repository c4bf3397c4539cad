using Collector.ProcMaps;

namespace Collector.Processors.PidLifecycle;

/// <summary>What /proc told about one process at one moment, already checked to be the process that was asked for.</summary>
/// <param name="StartTicks">Field 22 of stat, the same before and after the other files were read.</param>
/// <param name="ExePath">Target of <c>/proc/&lt;pid&gt;/exe</c>, or null when unreadable (kernel threads, permissions).</param>
/// <param name="Maps">The executable mappings only: the only ones a frame can fall in.</param>
internal sealed record ProcessSnapshot(ulong StartTicks, string Comm, string? ExePath, string? ContainerId, IReadOnlyList<MapsEntry> Maps);
