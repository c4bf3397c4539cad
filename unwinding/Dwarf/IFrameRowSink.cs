namespace Collector.Unwinding.Dwarf;

/// <summary>Receives the rows of one FDE's table in increasing address order, each valid from its start up to the next.</summary>
internal interface IFrameRowSink
{
    void Row(ulong start, in FrameState state);
}
