using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Processors.MemoryLimiter;
using Collector.Telemetry;

namespace Collector.Processors.Tests.MemoryLimiter;

/// <summary>A memory_limiter over a memory reading and a clock the test sets, in front of a capturing consumer.</summary>
internal sealed class LimiterHarness : IAsyncDisposable
{
    public const long Mib = 1024 * 1024;

    public LimiterHarness(MemoryLimiterOptions options, CollectorTelemetry? telemetry = null, long availableBytes = 0)
    {
        var id = ComponentId.Of("memory_limiter");
        Processor = new MemoryLimiterProcessor(new ComponentCreateSettings
        {
            Id = id,
            Kind = ComponentKind.Processor,
            LoggerFactory = Logs,
            TimeProvider = Clock,
            Telemetry = (telemetry ?? new CollectorTelemetry(TelemetryLevel.None)).ForComponent(id, ComponentKind.Processor),
        }, options, Next, Memory, () => availableBytes);
    }

    public TimerClock Clock { get; } = new();

    public SettableMemory Memory { get; } = new();

    public CapturingConsumer Next { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    internal MemoryLimiterProcessor Processor { get; }

    public static MemoryLimiterOptions Options(int limitMib = 100, int spikeLimitMib = 20) => new()
    {
        CheckInterval = TimeSpan.FromSeconds(1),
        LimitMib = limitMib,
        SpikeLimitMib = spikeLimitMib,
    };

    public Task StartAsync() => Processor.StartAsync(new TestHost { FailOnFatalError = true }, CancellationToken.None);

    /// <summary>Sets the reading and lets one check_interval pass.</summary>
    public void UseThenTick(long mib)
    {
        Memory.Bytes = mib * Mib;
        Clock.Advance(TimeSpan.FromSeconds(1));
    }

    public ValueTask SendAsync(ProfileBatch batch) => Processor.ConsumeAsync(batch, CancellationToken.None);

    public static ProfileBatch Samples(int count) => new()
    {
        Raw = new RawSampleSet { Samples = [.. Enumerable.Repeat(new RawSample(1, 1, 0, 1, "x", default, default), count)] },
    };

    public static ProfileBatch ControlOnly() => new()
    {
        ProcessEvents = [new ProcessEvent(ProcessEventKind.Exit, 42, 1, 7, "gone")],
        WatermarkKtimeNanos = 9,
    };

    public async ValueTask DisposeAsync() => await Processor.ShutdownAsync(CancellationToken.None);
}

/// <summary>The memory the limiter reads: whatever the test set, with collections that free what the test says.</summary>
internal sealed class SettableMemory : IProcessMemory
{
    public long Bytes { get; set; }

    /// <summary>What a collection leaves in use; null leaves the reading unchanged (garbage that is not garbage).</summary>
    public long? BytesAfterCollection { get; set; }

    public List<bool> Collections { get; } = [];

    public long UsedBytes() => Bytes;

    public void Collect(bool returnToSystem)
    {
        Collections.Add(returnToSystem);
        if (BytesAfterCollection is { } after) Bytes = after;
    }
}

/// <summary>A clock that moves only in <see cref="Advance"/>, firing due timers synchronously on the way.</summary>
internal sealed class TimerClock : TimeProvider
{
    private readonly List<Timer> _timers = [];
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public int ArmedTimers => _timers.Count(t => t.Due is not null);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        var target = _ticks + by.Ticks;
        while (_timers.Where(t => t.Due <= target).MinBy(t => t.Due) is { } next)
        {
            _ticks = next.Due!.Value;
            next.Due = next.Period > 0 ? _ticks + next.Period : null;
            next.Fire();
        }
        _ticks = target;
    }

    private sealed class Timer(TimerClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._ticks + dueTime.Ticks;
            Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => Due = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
