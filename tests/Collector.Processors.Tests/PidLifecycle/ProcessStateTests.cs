using Collector.Processors.PidLifecycle;

namespace Collector.Processors.Tests.PidLifecycle;

public class ProcessStateTests
{
    [Fact]
    public void Only_the_lifecycle_moves_are_allowed()
    {
        var allowed = new List<(ProcessState, ProcessState)>();
        foreach (var from in Enum.GetValues<ProcessState>())
        {
            foreach (var to in Enum.GetValues<ProcessState>())
            {
                if (ProcessStates.IsAllowed(from, to)) allowed.Add((from, to));
            }
        }

        Assert.Equal(
            [(ProcessState.Unknown, ProcessState.Live), (ProcessState.Live, ProcessState.Exited), (ProcessState.Live, ProcessState.Forgotten), (ProcessState.Exited, ProcessState.Forgotten)],
            allowed);
        Assert.Equal(allowed, ProcessStates.All.Select(t => (t.From, t.To)));
    }

    [Fact]
    public void A_process_walks_unknown_live_exited_forgotten_and_no_step_can_be_skipped_or_undone()
    {
        var process = new TrackedProcess(new ProcessKey(7, 100), "x", null);
        Assert.Equal(ProcessState.Unknown, process.State);
        Assert.Throws<InvalidOperationException>(() => process.RecordExit(5));

        process.MoveTo(ProcessState.Live);
        process.RecordExit(42);
        Assert.Equal((ProcessState.Exited, 42UL), (process.State, process.ExitKtime));
        Assert.Throws<InvalidOperationException>(() => process.MoveTo(ProcessState.Live));
        Assert.Throws<InvalidOperationException>(() => process.RecordExit(43));

        process.MoveTo(ProcessState.Forgotten);
        Assert.Throws<InvalidOperationException>(() => process.MoveTo(ProcessState.Live));
    }

    [Fact]
    public void Samples_before_an_exec_see_the_old_image_until_the_watermark_passes_the_exec()
    {
        var process = new TrackedProcess(new ProcessKey(7, 100), "x", null);
        var old = new ProcessImage("/bin/old", default, mapsKnown: true);
        var exec = new ProcessImage("/bin/new", default, mapsKnown: true);
        process.AddImage(0, old);
        process.AddImage(1_000, exec);

        Assert.Same(old, process.ImageAt(999));
        Assert.Same(exec, process.ImageAt(1_000));
        Assert.Null(process.DropImagesBefore(999));
        Assert.Same(old, process.ImageAt(500));

        Assert.Equal([old], process.DropImagesBefore(1_000)!);
        Assert.Null(process.ImageAt(500));
        Assert.Same(exec, process.ImageAt(2_000));
    }

    [Fact]
    public void A_process_first_seen_at_its_exec_has_no_image_before_it()
    {
        var process = new TrackedProcess(new ProcessKey(7, 100), "x", null);
        process.AddImage(1_000, new ProcessImage("/bin/new", default, mapsKnown: true));

        Assert.Null(process.ImageAt(999));
    }
}
