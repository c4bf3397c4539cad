using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Collector.Core.Model;

namespace Collector.Processors.Symbolization;

/// <summary>
/// Names the frames of one batch. Within the batch the same input location becomes the same output location
/// and the same stack the same resolved stack, so each is resolved once however many samples share it;
/// nothing here outlives the call (the symbol sources are cached in <see cref="FrameSymbolizer"/>).
/// A location named from a perf map depends on the process, so such locations (and the stacks holding them)
/// are keyed by pid as well; every other is keyed with pid -1 and shared across processes.
/// </summary>
internal sealed class BatchSymbolization(FrameSymbolizer symbolizer, ProfileBatch batch)
{
    private const int SharedAcrossProcesses = -1;

    private readonly Dictionary<(Location Location, int Pid), Location> _locations = [];
    private readonly Dictionary<(Stack Stack, int Pid), Stack> _stacks = [];

    public void Run()
    {
        symbolizer.BeginBatch(batch);
        foreach (var resource in batch.ResourceProfiles)
        {
            var pid = ProcessId(resource.Resource);
            foreach (var scope in resource.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles)
                {
                    foreach (var sample in profile.Samples) sample.Stack = Resolve(sample.Stack, pid);
                }
            }
        }
    }

    private Stack Resolve(Stack stack, int? pid)
    {
        var key = (stack, KeyPid(stack, pid));
        if (_stacks.TryGetValue(key, out var resolved)) return resolved;
        Location[]? changed = null;
        var locations = stack.Locations;
        for (var i = 0; i < locations.Length; i++)
        {
            var location = Resolve(locations[i], pid);
            if (ReferenceEquals(location, locations[i]) && changed is null) continue;
            if (changed is null)
            {
                changed = new Location[locations.Length];
                locations.CopyTo(0, changed, 0, i);
            }
            changed[i] = location;
        }
        resolved = changed is null ? stack : new Stack(ImmutableCollectionsMarshal.AsImmutableArray(changed));
        _stacks.Add(key, resolved);
        return resolved;
    }

    private Location Resolve(Location location, int? pid)
    {
        if (!location.Lines.IsEmpty) return location;
        var key = (location, FrameKinds.NeedsProcess(location) ? pid ?? 0 : SharedAcrossProcesses);
        if (!_locations.TryGetValue(key, out var resolved))
        {
            resolved = symbolizer.Resolve(location, pid, batch);
            _locations.Add(key, resolved);
        }
        return resolved;
    }

    private static int KeyPid(Stack stack, int? pid)
    {
        foreach (var location in stack.Locations)
        {
            if (FrameKinds.NeedsProcess(location)) return pid ?? 0;
        }
        return SharedAcrossProcesses;
    }

    /// <summary>The resource's <c>process.pid</c> (an int, or a string of digits from a lenient producer); null when absent.</summary>
    private static int? ProcessId(Resource? resource)
    {
        if (resource is null) return null;
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Key != SemanticConventions.ProcessPid || attribute.Value is not { } value) continue;
            if (value.Kind == AnyValueKind.Int && value.IntValue is > 0 and <= int.MaxValue) return (int)value.IntValue;
            if (value.Kind == AnyValueKind.String && int.TryParse(value.StringValue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0) return parsed;
        }
        return null;
    }
}
