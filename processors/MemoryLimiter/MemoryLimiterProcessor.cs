using Collector.Core.Components;
using Collector.Core.Diagnostics;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Processors.MemoryLimiter;

/// <summary>
/// The <c>memory_limiter</c> processor: measures the process's memory every <c>check_interval</c> and, while it
/// is above the soft limit, refuses batches with samples with a <see cref="RetryableException"/> so that
/// receivers push back (gRPC <c>UNAVAILABLE</c> / HTTP 503 for <c>otlp</c>, a wait for the replay receiver,
/// counted drops for <c>ebpf_profiling</c>). Above a limit it forces a garbage collection, at most once per
/// <c>min_gc_interval_when_*_limited</c>. The decision is made on the timer only: a batch costs one flag read.
/// It never changes a batch, and hands raw samples on as they are, so it may come first in a pipeline.
/// </summary>
internal sealed class MemoryLimiterProcessor : ProcessorBase
{
    /// <summary>The Collector's wording (memorylimiter.ErrDataRefused), so operators find it.</summary>
    public const string RefusalMessage = "data refused due to high memory usage";

    private static readonly TimeSpan CollectionLogInterval = TimeSpan.FromSeconds(10);

    private readonly MemoryLimiterOptions _options;
    private readonly IProcessMemory _memory;
    private readonly TimeProvider _time;
    private readonly TelemetryCounter _accepted;
    private readonly TelemetryCounter _refused;
    private readonly LogThrottle _collectionLog;
    private readonly Lock _checking = new();
    private ITimer? _timer;
    private volatile bool _refusing;
    private long _refusedSinceAccepting;
    private long? _lastCollection;

    public MemoryLimiterProcessor(ComponentCreateSettings settings, MemoryLimiterOptions options, IProfilesConsumer next, IProcessMemory memory, Func<long> availableBytes)
        : base(settings, next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(memory);
        _options = options;
        _memory = memory;
        _time = settings.TimeProvider;
        Limits = MemoryLimits.From(options, availableBytes);
        _accepted = settings.Telemetry.Counter(MemoryLimiterMetrics.AcceptedSamples);
        _refused = settings.Telemetry.Counter(MemoryLimiterMetrics.RefusedSamples);
        _collectionLog = new LogThrottle(_time, CollectionLogInterval);
    }

    public override bool MutatesData => false;

    internal MemoryLimits Limits { get; }

    /// <summary>True between a check that found memory above the soft limit and one that found it below.</summary>
    internal bool IsRefusing => _refusing;

    internal long Collections { get; private set; }

    protected override ValueTask ProcessAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        // Batches without samples carry only control data (process events, watermark, executables): they are
        // small, and refusing one could lose an exit event for good (ebpf_profiling drops what is refused), which
        // would leave that process in pid_lifecycle's table for ever. So only samples are refused.
        var samples = batch.SampleCount;
        if (_refusing && samples > 0)
        {
            _refused.Add(samples);
            Interlocked.Add(ref _refusedSinceAccepting, samples);
            return ValueTask.FromException(new RetryableException(RefusalMessage));
        }
        _accepted.Add(samples);
        return ForwardAsync(batch, cancellationToken);
    }

    protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        Logger.Started(_options.CheckInterval, Limits.ToString());
        Check();
        _timer = _time.CreateTimer(_ => Check(), null, _options.CheckInterval, _options.CheckInterval);
        return Task.CompletedTask;
    }

    protected override Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>One measurement and decision; the timer calls it every check_interval. A check still running (a long collection) makes the next one skip.</summary>
    internal void Check()
    {
        if (!_checking.TryEnter()) return;
        try
        {
            var used = _memory.UsedBytes();
            if (used > Limits.SoftBytes) used = CollectIfDue(used);
            Decide(used);
        }
        catch (Exception error)
        {
            Logger.CheckFailed(error);
        }
        finally
        {
            _checking.Exit();
        }
    }

    /// <summary>Forces a collection unless one was forced too recently for this limit; returns the memory used after it.</summary>
    private long CollectIfDue(long used)
    {
        var aboveHard = used > Limits.HardBytes;
        var minInterval = aboveHard ? _options.MinGcIntervalWhenHardLimited : _options.MinGcIntervalWhenSoftLimited;
        if (_lastCollection is { } last && _time.GetElapsedTime(last) < minInterval) return used;
        _memory.Collect(returnToSystem: aboveHard);
        _lastCollection = _time.GetTimestamp();
        Collections++;
        var after = _memory.UsedBytes();
        if (_collectionLog.ShouldLog(out var suppressed))
        {
            var (name, limit) = aboveHard ? ("hard", Limits.HardBytes) : ("soft", Limits.SoftBytes);
            Logger.ForcedCollection(MemoryLimits.Mib(used), name, MemoryLimits.Mib(limit), MemoryLimits.Mib(after), suppressed);
        }
        return after;
    }

    private void Decide(long used)
    {
        var refuse = used > Limits.SoftBytes;
        if (refuse == _refusing) return;
        _refusing = refuse;
        if (refuse) Logger.Refusing(MemoryLimits.Mib(used), MemoryLimits.Mib(Limits.SoftBytes));
        else Logger.Accepting(MemoryLimits.Mib(used), MemoryLimits.Mib(Limits.SoftBytes), Interlocked.Exchange(ref _refusedSinceAccepting, 0));
    }
}
