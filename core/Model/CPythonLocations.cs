namespace Collector.Core.Model;

/// <summary>
/// The locations of placed Python frames while one batch is assembled: one per (code object, instruction offset),
/// shared by every stack that holds it. Used by both places raw samples become profiles (RawSampleConversion and
/// pid_lifecycle).
/// </summary>
public sealed class CPythonLocations
{
    private readonly Dictionary<(ulong Code, uint Offset), Location> _locations = [];

    /// <summary>The location of <paramref name="frame"/>: its code object's address, typed cpython, with the instruction offset.</summary>
    public Location Of(CPythonFrame frame)
    {
        var key = (frame.CodeAddress, frame.InstructionOffset);
        if (!_locations.TryGetValue(key, out var location))
        {
            location = new Location(null, frame.CodeAddress, attributes:
            [
                KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeCpython),
                KeyValueAndUnit.Of(SemanticConventions.CpythonInstructionOffset, frame.InstructionOffset),
            ]);
            _locations.Add(key, location);
        }
        return location;
    }
}
