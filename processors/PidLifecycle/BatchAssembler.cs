using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Collector.Core.Model;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Turns one batch's raw samples into model content with mappings: one resource per process image (pid, start
/// time, executable), frames rewritten as the processors contract says, and the held files the mappings refer
/// to added to the batch's executables. Locations, mappings and stacks are shared within the batch only.
/// </summary>
internal sealed class BatchAssembler(ProcessTable table, RawSampleSet raw, Dictionary<string, ExecutableFile> executables)
{
    private static readonly KeyValueAndUnit KernelFrame = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeKernel);
    private static readonly KeyValueAndUnit NativeFrame = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeNative);

    private readonly Dictionary<(ProcessKey Key, string? Executable), Group> _groups = [];
    private readonly Dictionary<(Mapping? Mapping, ulong Address, KeyValueAndUnit FrameType), Location> _locations = [];
    private readonly Dictionary<(KernelBuildId BuildId, ulong Start), Mapping> _originMappings = [];
    private readonly CPythonLocations _pythonLocations = new();
    private readonly Dictionary<(int Tid, string Comm), ImmutableArray<KeyValueAndUnit>> _threads = [];
    private readonly HashSet<ProcessKey> _unreadable = [];
    private long _mapped;
    private long _originOnly;
    private long _unmapped;

    public List<ResourceProfiles> Assemble()
    {
        foreach (var sample in raw.Samples) Add(sample);
        table.Statistics.Frames(_mapped, _originOnly, _unmapped);

        var groups = _groups.ToList();
        groups.Sort(static (a, b) => a.Key.Key.Pid != b.Key.Key.Pid
            ? a.Key.Key.Pid.CompareTo(b.Key.Key.Pid)
            : a.Key.Key.StartTicks.CompareTo(b.Key.Key.StartTicks));
        var result = new List<ResourceProfiles>(groups.Count);
        foreach (var (_, group) in groups)
        {
            var profile = new Profile
            {
                SampleType = Core.Model.ValueType.Samples,
                PeriodType = Core.Model.ValueType.CpuNanoseconds,
                Period = raw.PeriodNanos,
                TimeUnixNano = group.Earliest,
                DurationNano = group.Latest - group.Earliest + 1,
                Samples = group.Samples,
            };
            result.Add(new ResourceProfiles
            {
                Resource = new Resource { Attributes = group.ResourceAttributes },
                ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = RawSampleConversion.ScopeName }, Profiles = [profile] }],
            });
        }
        return result;
    }

    private void Add(in RawSample sample)
    {
        var process = table.ForSample(sample, _unreadable);
        var image = process?.ImageAt(sample.KtimeNanos);
        var key = ProcessKey.FromBootTimeNanos(sample.Pid, sample.ProcessStartNanos);
        var timestamp = raw.ToUnixNano(sample.KtimeNanos);
        // One resource per process and executable: an exec within the batch starts another one.
        if (!_groups.TryGetValue((key, image?.ExecutablePath), out var group))
        {
            group = new Group(ResourceAttributes(sample.Pid, process, image), timestamp);
            _groups.Add((key, image?.ExecutablePath), group);
        }
        var python = CPythonPlacement.Fits(sample) ? sample.CPythonFrames : default;
        var frames = new FrameSequence(image, sample.KernelFrames, sample.UserFrames, python);
        if (!group.Stacks.TryGetValue(frames, out var stack))
        {
            stack = BuildStack(sample, process, image, !python.IsEmpty);
            group.Stacks.Add(frames, stack);
        }
        var identity = (stack, sample.Tid, sample.Comm);
        if (!group.ByIdentity.TryGetValue(identity, out var merged))
        {
            merged = new Sample(stack) { Attributes = Thread(sample.Tid, sample.Comm) };
            group.ByIdentity.Add(identity, merged);
            group.Samples.Add(merged);
        }
        merged.TimestampsUnixNano.Add(timestamp);
        group.Earliest = Math.Min(group.Earliest, timestamp);
        group.Latest = Math.Max(group.Latest, timestamp);
    }

    private Stack BuildStack(in RawSample sample, TrackedProcess? process, ProcessImage? image, bool placePython)
    {
        var kernel = sample.KernelFrames.Span;
        var user = sample.UserFrames.Span;
        if (kernel.IsEmpty && user.IsEmpty) return Stack.Empty;
        var origins = sample.UserFrameOrigins.Span;
        if (placePython) return PythonStack(sample, process, image);
        var locations = new Location[kernel.Length + user.Length];
        for (var i = 0; i < kernel.Length; i++) locations[i] = Location(null, kernel[i], KernelFrame);
        for (var i = 0; i < user.Length; i++)
        {
            var origin = i < origins.Length ? origins[i] : default;
            locations[kernel.Length + i] = UserLocation(user[i], origin, process, ref image);
        }
        return new Stack(ImmutableCollectionsMarshal.AsImmutableArray(locations));
    }

    /// <summary>A stack whose Python frames replace its evaluation-loop frames (the caller checked that they fit).</summary>
    private Stack PythonStack(in RawSample sample, TrackedProcess? process, ProcessImage? image)
    {
        var kernel = sample.KernelFrames.Span;
        var user = sample.UserFrames.Span;
        var python = sample.CPythonFrames.Span;
        var origins = sample.UserFrameOrigins.Span;
        var most = CPythonPlacement.MaxPlaced(sample);
        Span<CPythonPlacement.PlacedFrame> placed = most <= CPythonPlacement.StackPlaced ? stackalloc CPythonPlacement.PlacedFrame[CPythonPlacement.StackPlaced] : new CPythonPlacement.PlacedFrame[most];
        var count = CPythonPlacement.Place(user, python, sample.CPythonEvalLoop, placed);
        var locations = new Location[kernel.Length + count];
        for (var i = 0; i < kernel.Length; i++) locations[i] = Location(null, kernel[i], KernelFrame);
        for (var i = 0; i < count; i++)
        {
            var (isPython, index) = placed[i];
            var origin = !isPython && index < origins.Length ? origins[index] : default;
            locations[kernel.Length + i] = isPython ? _pythonLocations.Of(python[index]) : UserLocation(user[index], origin, process, ref image);
        }
        return new Stack(ImmutableCollectionsMarshal.AsImmutableArray(locations));
    }

    private Location UserLocation(ulong address, UserFrameOrigin origin, TrackedProcess? process, ref ProcessImage? image)
    {
        var region = process is not null && image is not null ? table.FindRegion(process, ref image, address) : null;
        // The kernel's build id is ground truth for the moment of the sample; a mapping whose file disagrees
        // (pid reused, or an exec not yet seen when /proc was read) belongs to another executable.
        if (region is not null && (!origin.IsKnown || region.File?.BuildId?.Gnu == origin.BuildId))
        {
            _mapped++;
            if (region.File is { BuildId: { } buildId } file && file.IsOpen) executables[buildId.Value] = file;
            return Location(region.Mapping, address, region.FrameType);
        }
        if (origin.IsKnown)
        {
            _originOnly++;
            return Location(OriginMapping(address, origin), address, NativeFrame);
        }
        _unmapped++;
        return Location(null, address, NativeFrame);
    }

    /// <summary>A mapping reconstructed from the kernel's (build id, file offset): placed so that the frame's file offset is right.</summary>
    private Mapping OriginMapping(ulong address, UserFrameOrigin origin)
    {
        var start = address >= origin.FileOffset ? address - origin.FileOffset : 0;
        if (_originMappings.TryGetValue((origin.BuildId, start), out var mapping)) return mapping;
        string buildId;
        if (table.Files.TryFindByBuildId(origin.BuildId, out var file, out var path, out var size, out var knownBuildId) ||
            (table.ScanForUnknownBuildIds() && table.Files.TryFindByBuildId(origin.BuildId, out file, out path, out size, out knownBuildId)))
        {
            buildId = knownBuildId;
            if (file is not null) executables[buildId] = file;
        }
        else
        {
            buildId = origin.BuildId.ToString();
        }
        var limit = size > 0 ? start + (ulong)size : start + origin.FileOffset + 1;
        mapping = new Mapping(start, limit, 0, path, [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, buildId)]);
        _originMappings.Add((origin.BuildId, start), mapping);
        return mapping;
    }

    private Location Location(Mapping? mapping, ulong address, KeyValueAndUnit frameType)
    {
        if (!_locations.TryGetValue((mapping, address, frameType), out var location))
        {
            location = new Location(mapping, address, attributes: [frameType]);
            _locations.Add((mapping, address, frameType), location);
        }
        return location;
    }

    private ImmutableArray<KeyValueAndUnit> Thread(int tid, string comm)
    {
        if (!_threads.TryGetValue((tid, comm), out var attributes))
        {
            attributes = [KeyValueAndUnit.Of(SemanticConventions.ThreadId, tid), KeyValueAndUnit.Of(SemanticConventions.ThreadName, comm)];
            _threads.Add((tid, comm), attributes);
        }
        return attributes;
    }

    private static List<KeyValue> ResourceAttributes(int pid, TrackedProcess? process, ProcessImage? image)
    {
        var attributes = new List<KeyValue>(4) { KeyValue.Of(SemanticConventions.ProcessPid, pid) };
        if (image?.ExecutablePath is { } path)
        {
            attributes.Add(KeyValue.Of(SemanticConventions.ProcessExecutableName, Path.GetFileName(path)));
            attributes.Add(KeyValue.Of(SemanticConventions.ProcessExecutablePath, path));
        }
        else if (process is { Comm.Length: > 0 })
        {
            // Kernel threads and unreadable executables: the name the kernel gives the process.
            attributes.Add(KeyValue.Of(SemanticConventions.ProcessExecutableName, process.Comm));
        }
        if (process?.ContainerId is { } container) attributes.Add(KeyValue.Of(SemanticConventions.ContainerId, container));
        return attributes;
    }

    /// <summary>The samples of one process image in this batch.</summary>
    private sealed class Group(List<KeyValue> resourceAttributes, ulong firstTimestamp)
    {
        public List<KeyValue> ResourceAttributes { get; } = resourceAttributes;

        public Dictionary<FrameSequence, Stack> Stacks { get; } = new(FrameSequenceComparer.Instance);

        public Dictionary<(Stack Stack, int Tid, string Comm), Sample> ByIdentity { get; } = [];

        public List<Sample> Samples { get; } = [];

        public ulong Earliest { get; set; } = firstTimestamp;

        public ulong Latest { get; set; } = firstTimestamp;
    }

    /// <summary>A sample's frames as they sit in the batch's buffer, and the image they were taken in: only together do they resolve alike.</summary>
    private readonly record struct FrameSequence(ProcessImage? Image, ReadOnlyMemory<ulong> Kernel, ReadOnlyMemory<ulong> User, ReadOnlyMemory<CPythonFrame> Python);

    private sealed class FrameSequenceComparer : IEqualityComparer<FrameSequence>
    {
        public static readonly FrameSequenceComparer Instance = new();

        public bool Equals(FrameSequence x, FrameSequence y) =>
            ReferenceEquals(x.Image, y.Image) && x.Kernel.Span.SequenceEqual(y.Kernel.Span) && x.User.Span.SequenceEqual(y.User.Span) &&
            x.Python.Span.SequenceEqual(y.Python.Span);

        public int GetHashCode(FrameSequence frames)
        {
            var hash = new HashCode();
            hash.Add(frames.Image is null ? 0 : RuntimeHelpers.GetHashCode(frames.Image));
            hash.Add(frames.Kernel.Length);
            hash.AddBytes(MemoryMarshal.AsBytes(frames.Kernel.Span));
            hash.AddBytes(MemoryMarshal.AsBytes(frames.User.Span));
            // Field by field: the struct's padding bytes are not part of its value.
            foreach (var frame in frames.Python.Span) hash.Add(frame);
            return hash.ToHashCode();
        }
    }
}
