using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Collector.Core.Model;

/// <summary>
/// Turns raw kernel samples into model content, unsymbolized: one <see cref="ResourceProfiles"/> per pid
/// (resource attribute <c>process.pid</c>), scope <c>collector</c>, one CPU profile with timestamps only.
/// Samples with the same stack and thread are merged by appending timestamps. A frame becomes a location with
/// no mapping, its raw address, and <c>profile.frame.type</c> <c>kernel</c> or <c>native</c>; the stack is the
/// kernel frames (leaf first) followed by the user frames. A sample's Python frames take the place of its
/// evaluation-loop frames (<see cref="CPythonPlacement"/>) as locations typed <c>cpython</c> whose address is the
/// code object's; when they do not fit, the native frames stay.
/// <para>The profile covers [earliest, latest + 1): OTLP intervals are half-open and every timestamp must fall
/// inside, so the duration is one nanosecond longer than the spread of the timestamps.</para>
/// <para>Locations and stacks are shared within one call only; nothing is cached across calls.</para>
/// </summary>
public static class RawSampleConversion
{
    public const string ScopeName = "collector";
    public const string KernelFrameType = "kernel";
    public const string NativeFrameType = "native";

    private static readonly KeyValueAndUnit KernelFrame = KeyValueAndUnit.Of("profile.frame.type", KernelFrameType);
    private static readonly KeyValueAndUnit NativeFrame = KeyValueAndUnit.Of("profile.frame.type", NativeFrameType);

    /// <summary>The raw samples as model content, ordered by pid; empty when there are no samples.</summary>
    public static List<ResourceProfiles> ToResourceProfiles(RawSampleSet raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var conversion = new Conversion();
        foreach (var sample in raw.Samples) conversion.Add(sample, raw.ToUnixNano(sample.KtimeNanos));

        var pids = new List<int>(conversion.Processes.Keys);
        pids.Sort();
        var result = new List<ResourceProfiles>(pids.Count);
        foreach (var pid in pids)
        {
            var process = conversion.Processes[pid];
            var profile = new Profile
            {
                SampleType = ValueType.Samples,
                PeriodType = ValueType.CpuNanoseconds,
                Period = raw.PeriodNanos,
                TimeUnixNano = process.Earliest,
                DurationNano = process.Latest - process.Earliest + 1,
                Samples = process.Samples,
            };
            result.Add(new ResourceProfiles
            {
                Resource = new Resource { Attributes = [KeyValue.Of("process.pid", pid)] },
                ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = ScopeName }, Profiles = [profile] }],
            });
        }
        return result;
    }

    /// <summary>The caches of one call.</summary>
    private sealed class Conversion
    {
        private readonly Dictionary<(ulong Address, bool Kernel), Location> _locations = [];
        private readonly CPythonLocations _pythonLocations = new();
        private readonly Dictionary<FrameSequence, Stack> _stacks = new(FrameSequenceComparer.Instance);
        private readonly Dictionary<(int Tid, string Comm), ImmutableArray<KeyValueAndUnit>> _threads = [];

        public Dictionary<int, ProcessSamples> Processes { get; } = [];

        public void Add(in RawSample sample, ulong timestamp)
        {
            if (!Processes.TryGetValue(sample.Pid, out var process))
            {
                process = new ProcessSamples(timestamp);
                Processes.Add(sample.Pid, process);
            }
            var stack = Stack(sample);
            var key = (stack, sample.Tid, sample.Comm);
            if (!process.ByIdentity.TryGetValue(key, out var merged))
            {
                merged = new Sample(stack) { Attributes = Thread(sample.Tid, sample.Comm) };
                process.ByIdentity.Add(key, merged);
                process.Samples.Add(merged);
            }
            merged.TimestampsUnixNano.Add(timestamp);
            process.Earliest = Math.Min(process.Earliest, timestamp);
            process.Latest = Math.Max(process.Latest, timestamp);
        }

        private Stack Stack(in RawSample sample)
        {
            var kernel = sample.KernelFrames;
            var user = sample.UserFrames;
            if (kernel.IsEmpty && user.IsEmpty) return Model.Stack.Empty;
            var python = CPythonPlacement.Fits(sample) ? sample.CPythonFrames : default;
            var frames = new FrameSequence(kernel, user, python, python.IsEmpty ? default : sample.CPythonEvalLoop);
            if (_stacks.TryGetValue(frames, out var stack)) return stack;
            var kernelSpan = kernel.Span;
            var userSpan = user.Span;
            Location[] locations;
            if (python.IsEmpty)
            {
                locations = new Location[kernel.Length + user.Length];
                for (var i = 0; i < userSpan.Length; i++) locations[kernelSpan.Length + i] = Location(userSpan[i], kernel: false);
            }
            else
            {
                var pythonSpan = python.Span;
                var most = CPythonPlacement.MaxPlaced(sample);
                Span<CPythonPlacement.PlacedFrame> placed = most <= CPythonPlacement.StackPlaced ? stackalloc CPythonPlacement.PlacedFrame[CPythonPlacement.StackPlaced] : new CPythonPlacement.PlacedFrame[most];
                var count = CPythonPlacement.Place(userSpan, pythonSpan, frames.EvalLoop, placed);
                locations = new Location[kernel.Length + count];
                for (var i = 0; i < count; i++)
                {
                    var (isPython, index) = placed[i];
                    locations[kernelSpan.Length + i] = isPython ? _pythonLocations.Of(pythonSpan[index]) : Location(userSpan[index], kernel: false);
                }
            }
            for (var i = 0; i < kernelSpan.Length; i++) locations[i] = Location(kernelSpan[i], kernel: true);
            stack = new Stack(ImmutableCollectionsMarshal.AsImmutableArray(locations));
            _stacks.Add(frames, stack);
            return stack;
        }

        private Location Location(ulong address, bool kernel)
        {
            if (!_locations.TryGetValue((address, kernel), out var location))
            {
                location = new Location(null, address, attributes: [kernel ? KernelFrame : NativeFrame]);
                _locations.Add((address, kernel), location);
            }
            return location;
        }

        private ImmutableArray<KeyValueAndUnit> Thread(int tid, string comm)
        {
            if (!_threads.TryGetValue((tid, comm), out var attributes))
            {
                attributes = [KeyValueAndUnit.Of("thread.id", tid), KeyValueAndUnit.Of("thread.name", comm)];
                _threads.Add((tid, comm), attributes);
            }
            return attributes;
        }
    }

    private sealed class ProcessSamples(ulong firstTimestamp)
    {
        public Dictionary<(Stack Stack, int Tid, string Comm), Sample> ByIdentity { get; } = [];

        public List<Sample> Samples { get; } = [];

        public ulong Earliest { get; set; } = firstTimestamp;

        public ulong Latest { get; set; } = firstTimestamp;
    }

    /// <summary>
    /// A sample's frames as they sit in the batch's buffer; the kernel/user split is part of the identity, and so are the
    /// Python frames placed among them (empty when they did not fit).
    /// </summary>
    private readonly record struct FrameSequence(ReadOnlyMemory<ulong> Kernel, ReadOnlyMemory<ulong> User, ReadOnlyMemory<CPythonFrame> Python, CodeRange EvalLoop);

    private sealed class FrameSequenceComparer : IEqualityComparer<FrameSequence>
    {
        public static readonly FrameSequenceComparer Instance = new();

        public bool Equals(FrameSequence x, FrameSequence y) =>
            x.Kernel.Span.SequenceEqual(y.Kernel.Span) && x.User.Span.SequenceEqual(y.User.Span) &&
            x.Python.Span.SequenceEqual(y.Python.Span) && x.EvalLoop == y.EvalLoop;

        public int GetHashCode(FrameSequence frames)
        {
            var hash = new HashCode();
            hash.Add(frames.Kernel.Length);
            hash.AddBytes(MemoryMarshal.AsBytes(frames.Kernel.Span));
            hash.AddBytes(MemoryMarshal.AsBytes(frames.User.Span));
            // Field by field: the struct's padding bytes are not part of its value.
            foreach (var frame in frames.Python.Span) hash.Add(frame);
            return hash.ToHashCode();
        }
    }
}
