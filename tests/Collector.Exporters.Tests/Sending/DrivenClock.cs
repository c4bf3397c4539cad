namespace Collector.Exporters.Tests.Sending;

/// <summary>
/// A clock that jumps from timer to timer. Task.Delay continues on the thread pool after its timer fires, so a
/// test cannot advance a manual clock in one go; instead <see cref="RunAsync"/> waits until the code under test
/// is either done or waiting on a timer, then moves time to that timer and fires it, so every wait lasts exactly
/// as long as the code asked, in virtual time.
/// </summary>
internal sealed class DrivenClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now = new(2026, 11, 21, 15, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires timers in due order until <paramref name="work"/> completes; fails past <paramref name="limit"/> of virtual time.</summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan limit)
    {
        var end = GetUtcNow() + limit;
        while (true)
        {
            var next = await NextTimerAsync(work);
            if (next is null) return await work;
            lock (_gate)
            {
                if (next.Due > end) throw new TimeoutException($"still running after {limit} of virtual time");
                _now = next.Due!.Value;
                next.Due = null;
            }
            next.Fire();
        }
    }

    /// <summary>The earliest armed timer once the work waits on one; null when the work is done.</summary>
    private async Task<Timer?> NextTimerAsync(Task work)
    {
        var realDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!work.IsCompleted)
        {
            lock (_gate)
            {
                // Fired timers are disarmed, so any armed one was set by the work since: it is waiting on it.
                var next = _timers.Where(t => t.Due is not null).MinBy(t => t.Due);
                if (next is not null) return next;
            }
            if (DateTime.UtcNow > realDeadline) throw new TimeoutException("the work neither finished nor waited on a timer");
            await Task.Delay(1);
        }
        return null;
    }

    private sealed class Timer(DrivenClock owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                if (!owner._timers.Contains(this)) owner._timers.Add(this);
            }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
