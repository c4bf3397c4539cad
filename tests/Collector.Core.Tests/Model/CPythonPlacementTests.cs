using Collector.Core.Model;

namespace Collector.Core.Tests.Model;

public class CPythonPlacementTests
{
    private static readonly CodeRange EvalLoop = new(0x5000, 0x6000);

    // Native stack, leaf first: zlib code, the eval loop (running hot <- middle), a C helper, the eval loop (outer), main.
    private static readonly ulong[] User = [0x9100, 0x5100, 0x7100, 0x5200, 0x1100];

    private static readonly CPythonFrame Hot = new(0xa0, 10, IsEntry: false);
    private static readonly CPythonFrame Middle = new(0xb0, 20, IsEntry: true);
    private static readonly CPythonFrame Outer = new(0xc0, 30, IsEntry: true);

    [Fact]
    public void Each_eval_loop_frame_becomes_the_python_frames_of_its_call_in_order()
    {
        var placed = new CPythonPlacement.PlacedFrame[8];

        var count = CPythonPlacement.Place(User, [Hot, Middle, Outer], EvalLoop, placed);

        Assert.Equal(
            [new(false, 0), new(true, 0), new(true, 1), new(false, 2), new(true, 2), new(false, 4)],
            placed[..count]);
    }

    [Fact]
    public void A_mismatch_between_eval_loop_frames_and_eval_calls_places_nothing()
    {
        var placed = new CPythonPlacement.PlacedFrame[8];

        // Three eval calls in the chain, two eval-loop frames in the native stack.
        Assert.Equal(-1, CPythonPlacement.Place(User, [Hot with { IsEntry = true }, Middle, Outer], EvalLoop, placed));
        // A chain whose outermost frame is no entry frame was cut short.
        Assert.Equal(-1, CPythonPlacement.Place(User, [Hot, Middle, Outer with { IsEntry = false }], EvalLoop, placed));
        // No eval loop known.
        Assert.Equal(-1, CPythonPlacement.Place(User, [Hot, Middle, Outer], default, placed));
        Assert.False(CPythonPlacement.Fits(User, [], EvalLoop));
    }

    [Fact]
    public void Return_addresses_are_looked_up_one_byte_back_but_the_leaf_is_not()
    {
        // A caller whose call is the eval loop's last instruction returns to its end; a leaf at its end is outside.
        Assert.True(CPythonPlacement.Fits([0x1100, 0x6000], [Outer], EvalLoop));
        Assert.False(CPythonPlacement.Fits([0x6000, 0x1100], [Outer], EvalLoop));
    }

    [Fact]
    public void Python_frames_become_cpython_locations_at_their_code_address_one_per_code_and_instruction()
    {
        var locations = new CPythonLocations();
        var location = locations.Of(Hot);

        Assert.Same(location, locations.Of(Hot));
        Assert.NotSame(location, locations.Of(Hot with { InstructionOffset = Hot.InstructionOffset + 2 }));

        Assert.Equal(0xa0UL, location.Address);
        Assert.Null(location.Mapping);
        Assert.Contains(KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeCpython), location.Attributes);
        Assert.Contains(KeyValueAndUnit.Of(SemanticConventions.CpythonInstructionOffset, 10), location.Attributes);
    }
}
