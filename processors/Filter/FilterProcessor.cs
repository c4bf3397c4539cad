using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Telemetry;

namespace Collector.Processors.Filter;

/// <summary>
/// The <c>filter</c> processor: keeps a sample when it matches <c>include</c> (if given) and not <c>exclude</c>
/// (if given), then removes the profiles, scopes and resources left without samples. Control data passes on
/// whatever is dropped (the helper forwards it). What it drops is counted in
/// <see cref="FilterMetrics.DroppedSamples"/> and summed up in one line at shutdown.
/// </summary>
internal sealed class FilterProcessor : ProcessorBase
{
    private readonly SampleMatcher? _include;
    private readonly SampleMatcher? _exclude;
    private readonly TelemetryCounter _droppedCounter;
    private long _seen;
    private long _dropped;

    public FilterProcessor(ComponentCreateSettings settings, FilterOptions options, IProfilesConsumer next)
        : base(settings, next)
    {
        ArgumentNullException.ThrowIfNull(options);
        _include = options.Include is null ? null : new SampleMatcher(options.Include);
        _exclude = options.Exclude is null ? null : new SampleMatcher(options.Exclude);
        _droppedCounter = settings.Telemetry.Counter(FilterMetrics.DroppedSamples);
    }

    public override bool MutatesData => true;

    public long DroppedSamples => Interlocked.Read(ref _dropped);

    protected override void Process(ProfileBatch batch)
    {
        long seen = 0, dropped = 0;
        var included = new StackVerdicts(_include);
        var excluded = new StackVerdicts(_exclude);
        foreach (var resourceProfiles in batch.ResourceProfiles)
        {
            // The resource part of each block is the same for all of the resource's samples.
            var includeResource = _include?.MatchesResource(resourceProfiles.Resource) ?? true;
            var excludeResource = _exclude?.MatchesResource(resourceProfiles.Resource) ?? false;
            foreach (var profile in resourceProfiles.ScopeProfiles.SelectMany(scope => scope.Profiles))
            {
                seen += profile.Samples.Count;
                dropped += profile.Samples.RemoveAll(sample =>
                    !(includeResource && included.Matches(sample.Stack)) || (excludeResource && excluded.Matches(sample.Stack)));
            }
        }
        RemoveEmpty(batch.ResourceProfiles);
        Interlocked.Add(ref _seen, seen);
        Interlocked.Add(ref _dropped, dropped);
        _droppedCounter.Add(dropped);
    }

    protected override Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        var seen = Interlocked.Read(ref _seen);
        var dropped = Interlocked.Read(ref _dropped);
        Logger.Stopped(dropped, seen, seen - dropped);
        return Task.CompletedTask;
    }

    private static void RemoveEmpty(List<ResourceProfiles> resources)
    {
        foreach (var resource in resources)
        {
            foreach (var scope in resource.ScopeProfiles) scope.Profiles.RemoveAll(profile => profile.Samples.Count == 0);
            resource.ScopeProfiles.RemoveAll(scope => scope.Profiles.Count == 0);
        }
        resources.RemoveAll(resource => resource.ScopeProfiles.Count == 0);
    }

    /// <summary>One block's verdict per distinct stack within a batch: stacks repeat across samples, names are matched once.</summary>
    private sealed class StackVerdicts(SampleMatcher? matcher)
    {
        private readonly Dictionary<Stack, bool> _verdicts = [];

        public bool Matches(Stack stack)
        {
            if (matcher is null || !matcher.HasStackCriterion) return true;
            if (!_verdicts.TryGetValue(stack, out var verdict))
            {
                verdict = matcher.MatchesStack(stack);
                _verdicts.Add(stack, verdict);
            }
            return verdict;
        }
    }
}
