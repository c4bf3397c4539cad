using Collector.Core.Model;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Collects the samples of one or more OpenTelemetry profiles that share their sample types into pprof's tables:
/// strings, functions, mappings, locations and samples, each entity once, ids from 1 in first-seen order. Equal
/// stacks with equal labels become one sample whose values are summed. Resource attributes (<c>process.pid</c>,
/// <c>container.id</c>, executable) and sample attributes (<c>thread.id</c>, <c>thread.name</c>) become labels of
/// every sample, so a profile merged over processes still tells them apart.
/// <para>Built fresh for every file or response: like our OTLP exports, every pprof profile stands alone.</para>
/// </summary>
internal sealed class PprofBuilder
{
    /// <summary>
    /// Stands in for a sample without frames: pprof's tools drop samples without locations, and the totals (and every
    /// share) would then differ from the OTLP data and the debug exporter's.
    /// </summary>
    private static readonly Stack NoFrames = new([new Location(null, 0, [new Line(new Function("[no frames]"))])]);

    private readonly Dictionary<Function, ulong> _functionIds = [];
    private readonly Dictionary<Mapping, int> _mappingIndices = [];
    private readonly Dictionary<Location, ulong> _locationIds = [];
    private readonly Dictionary<PprofLabel[], int> _labelSetIds = new(LabelSetComparer.Instance);
    private readonly Dictionary<SampleKey, int> _sampleIndices = [];
    private readonly List<PprofLabel> _scratch = [];
    private ulong _start = ulong.MaxValue;
    private ulong _end;

    public PprofBuilder(PprofSampleTypes types)
    {
        Types = types;
    }

    public PprofSampleTypes Types { get; }

    public PprofStringTable Strings { get; } = new();

    public List<Function> Functions { get; } = [];

    public List<PprofMappingEntry> Mappings { get; } = [];

    public List<Location> Locations { get; } = [];

    public List<PprofLabel[]> LabelSets { get; } = [];

    public List<PprofSampleEntry> Samples { get; } = [];

    /// <summary>Start of the earliest profile added, in Unix nanoseconds; 0 when none had a time.</summary>
    public ulong TimeNanos => _start == ulong.MaxValue ? 0 : _start;

    public ulong DurationNanos => _start == ulong.MaxValue || _end < _start ? 0 : _end - _start;

    /// <summary>Adds every sample of <paramref name="profile"/>; <paramref name="resource"/> gives the labels of all of them.</summary>
    public void Add(Resource? resource, Profile profile)
    {
        if (profile.TimeUnixNano > 0)
        {
            _start = Math.Min(_start, profile.TimeUnixNano);
            _end = Math.Max(_end, profile.TimeUnixNano + profile.DurationNano);
        }
        var resourceLabels = new List<PprofLabel>();
        if (resource is not null)
        {
            foreach (var attribute in resource.Attributes) PprofLabels.Add(resourceLabels, Strings, attribute.Key, attribute.Value);
        }
        foreach (var sample in profile.Samples) AddSample(sample, resourceLabels);
    }

    private void AddSample(Sample sample, List<PprofLabel> resourceLabels)
    {
        var weight = sample.Weight;
        if (weight == 0) return;
        _scratch.Clear();
        _scratch.AddRange(resourceLabels);
        foreach (var attribute in sample.Attributes) PprofLabels.Add(_scratch, Strings, attribute.Key, attribute.Value);
        var labelSet = InternLabelSet();
        var key = new SampleKey(sample.Stack, labelSet);
        if (_sampleIndices.TryGetValue(key, out var index))
        {
            Samples[index] = Samples[index] with { Weight = Samples[index].Weight + weight };
            return;
        }
        var stack = sample.Stack.Locations.Length > 0 ? sample.Stack : NoFrames;
        var locationIds = new ulong[stack.Locations.Length];
        for (var i = 0; i < locationIds.Length; i++) locationIds[i] = LocationId(stack.Locations[i]);
        _sampleIndices.Add(key, Samples.Count);
        Samples.Add(new PprofSampleEntry(locationIds, labelSet, weight));
    }

    private int InternLabelSet()
    {
        var labels = _scratch.ToArray();
        if (_labelSetIds.TryGetValue(labels, out var id)) return id;
        id = LabelSets.Count;
        LabelSets.Add(labels);
        _labelSetIds.Add(labels, id);
        return id;
    }

    private ulong LocationId(Location location)
    {
        if (_locationIds.TryGetValue(location, out var id)) return id;
        // Every function and mapping a location names is in the tables before the location itself.
        var mappingIndex = location.Mapping is { } mapping ? MappingIndex(mapping) : -1;
        var named = false;
        foreach (var line in location.Lines)
        {
            if (line.Function is not { } function) continue;
            FunctionId(function);
            named |= function.ToString().Length > 0;
            if (mappingIndex >= 0)
            {
                var entry = Mappings[mappingIndex];
                entry.HasFunctions |= named;
                entry.HasFilenames |= function.Filename.Length > 0;
                entry.HasLineNumbers |= line.LineNumber > 0;
            }
        }
        if (mappingIndex >= 0 && location.Lines.Length > 1) Mappings[mappingIndex].HasInlineFrames = true;
        id = (ulong)Locations.Count + 1;
        Locations.Add(location);
        _locationIds.Add(location, id);
        return id;
    }

    public ulong FunctionId(Function function)
    {
        if (_functionIds.TryGetValue(function, out var id)) return id;
        Strings.Intern(function.ToString());
        Strings.Intern(function.SystemName);
        Strings.Intern(function.Filename);
        id = (ulong)Functions.Count + 1;
        Functions.Add(function);
        _functionIds.Add(function, id);
        return id;
    }

    /// <summary>The 1-based pprof id of a mapping already in the table.</summary>
    public ulong MappingId(Mapping mapping) => (ulong)_mappingIndices[mapping] + 1;

    private int MappingIndex(Mapping mapping)
    {
        if (_mappingIndices.TryGetValue(mapping, out var index)) return index;
        var entry = new PprofMappingEntry(mapping, Strings.Intern(mapping.Filename), Strings.Intern(BuildIdOf(mapping)));
        index = Mappings.Count;
        Mappings.Add(entry);
        _mappingIndices.Add(mapping, index);
        return index;
    }

    /// <summary>The GNU build id when the file has one, else the htlhash the agent computed for it.</summary>
    private static string BuildIdOf(Mapping mapping)
    {
        string? htlhash = null;
        foreach (var attribute in mapping.Attributes)
        {
            if (attribute.Value is not { Kind: AnyValueKind.String } value) continue;
            if (attribute.Key == SemanticConventions.BuildIdGnu) return value.StringValue;
            if (attribute.Key == SemanticConventions.BuildIdHtlhash) htlhash = value.StringValue;
        }
        return htlhash ?? "";
    }

    private readonly record struct SampleKey(Stack Stack, int LabelSet);

    private sealed class LabelSetComparer : IEqualityComparer<PprofLabel[]>
    {
        public static readonly LabelSetComparer Instance = new();

        public bool Equals(PprofLabel[]? x, PprofLabel[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(PprofLabel[] labels)
        {
            var hash = new HashCode();
            foreach (var label in labels) hash.Add(label);
            return hash.ToHashCode();
        }
    }
}

/// <summary>A mapping in the table, with the pprof flags that say what its locations carry.</summary>
internal sealed class PprofMappingEntry(Mapping mapping, long filename, long buildId)
{
    public Mapping Mapping { get; } = mapping;

    public long Filename { get; } = filename;

    public long BuildId { get; } = buildId;

    public bool HasFunctions { get; set; }

    public bool HasFilenames { get; set; }

    public bool HasLineNumbers { get; set; }

    public bool HasInlineFrames { get; set; }
}

/// <summary>One pprof sample: its locations (leaf first), its label set, and how many times it was seen.</summary>
internal readonly record struct PprofSampleEntry(ulong[] LocationIds, int LabelSet, long Weight);
