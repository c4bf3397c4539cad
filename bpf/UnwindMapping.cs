namespace Collector.Bpf;

/// <summary>
/// One executable mapping of a process as the BPF unwinder sees it: addresses [<see cref="Start"/>, <see cref="End"/>)
/// hold the file whose rows are table <see cref="TableId"/> (0: none loaded; step by frame pointer), at file virtual
/// address = address − <see cref="Bias"/>, laid out as <see cref="Table"/> says.
/// </summary>
public readonly record struct UnwindMapping(ulong Start, ulong End, ulong Bias, uint TableId, UnwindTableShape Table);
