namespace Collector.Processors.PidLifecycle;

/// <summary>
/// A process in the table: its state, its images over time, and what its resource says. An exec adds an
/// image from the exec's time on; earlier images stay until the watermark passes the exec, because samples
/// taken before it may still arrive and belong to the old executable.
/// </summary>
internal sealed class TrackedProcess(ProcessKey key, string comm, string? containerId)
{
    private readonly List<(ulong Since, ProcessImage Image)> _images = [];

    public ProcessKey Key { get; } = key;

    public ProcessState State { get; private set; } = ProcessState.Unknown;

    public string Comm { get; set; } = comm;

    public string? ContainerId { get; set; } = containerId;

    /// <summary>Kernel time of the exit event (valid once <see cref="State"/> is exited).</summary>
    public ulong ExitKtime { get; private set; }

    /// <summary>Latest sample's kernel time; the least recently sampled live process is evicted first.</summary>
    public ulong LastSampledKtime { get; set; }

    /// <summary>
    /// When the maps were last read for this process (TimeProvider timestamp), for the rescan rate limit; null
    /// when the first miss may rescan at once (maps read at exec lack the libraries the loader maps next).
    /// </summary>
    public long? LastMapsRead { get; set; }

    public IReadOnlyList<(ulong Since, ProcessImage Image)> Images => _images;

    public ProcessImage? LatestImage => _images.Count == 0 ? null : _images[^1].Image;

    public void MoveTo(ProcessState next)
    {
        if (!ProcessStates.IsAllowed(State, next))
        {
            throw new InvalidOperationException($"process {Key}: no transition from {State} to {next}");
        }
        State = next;
    }

    public void RecordExit(ulong ktime)
    {
        MoveTo(ProcessState.Exited);
        ExitKtime = ktime;
    }

    /// <summary>The image a sample taken at <paramref name="ktime"/> ran: the latest whose start is not after it.</summary>
    public ProcessImage? ImageAt(ulong ktime)
    {
        for (var i = _images.Count - 1; i >= 0; i--)
        {
            if (_images[i].Since <= ktime) return _images[i].Image;
        }
        return null;
    }

    /// <summary>Adds an image in effect from <paramref name="since"/> on (an exec's time, or 0 for "all along").</summary>
    public void AddImage(ulong since, ProcessImage image)
    {
        image.Holders++;
        var index = _images.Count;
        while (index > 0 && _images[index - 1].Since > since) index--;
        _images.Insert(index, (since, image));
    }

    /// <summary>Replaces the latest image (a rescan found new mappings); returns the one replaced.</summary>
    public ProcessImage ReplaceLatestImage(ProcessImage image)
    {
        var (since, old) = _images[^1];
        image.Holders++;
        _images[^1] = (since, image);
        return old;
    }

    /// <summary>Drops images superseded by an exec the watermark has passed; returns them (their holders not yet decremented).</summary>
    public List<ProcessImage>? DropImagesBefore(ulong watermark)
    {
        List<ProcessImage>? dropped = null;
        // Image i is needed while a sample before image i+1's start may still arrive.
        while (_images.Count > 1 && _images[1].Since <= watermark)
        {
            (dropped ??= []).Add(_images[0].Image);
            _images.RemoveAt(0);
        }
        return dropped;
    }

    /// <summary>Takes every image out (the process is forgotten).</summary>
    public List<ProcessImage> TakeAllImages()
    {
        var all = _images.ConvertAll(entry => entry.Image);
        _images.Clear();
        return all;
    }
}
