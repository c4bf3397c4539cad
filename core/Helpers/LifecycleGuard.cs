namespace Collector.Core.Helpers;

/// <summary>
/// The lifecycle rules every component follows, kept once: start at most once, shutdown once (also without a
/// start, and a second call is a no-op), and no data accepted after shutdown. Thread-safe.
/// </summary>
public sealed class LifecycleGuard(string component)
{
    private const int Created = 0, Started = 1, Stopped = 2;
    private int _state;

    public bool IsStopped => Volatile.Read(ref _state) == Stopped;

    public bool IsStarted => Volatile.Read(ref _state) == Started;

    /// <summary>True for the first start; throws after shutdown, since a stopped component has let go of its resources.</summary>
    public bool TryStart()
    {
        var previous = Interlocked.CompareExchange(ref _state, Started, Created);
        if (previous == Stopped) throw new ComponentStoppedException(component);
        return previous == Created;
    }

    /// <summary>True for the first shutdown, whether or not the component started; false for every later call.</summary>
    public bool TryStop() => Interlocked.Exchange(ref _state, Stopped) != Stopped;

    /// <summary>Refuses data once shut down: nothing is left to process or send it.</summary>
    public void ThrowIfStopped()
    {
        if (IsStopped) throw new ComponentStoppedException(component);
    }
}

/// <summary>
/// A component was used after its shutdown. Not retryable: the component will not come back. The pipeline stops
/// producers before consumers, so only a bug upstream (or a test) sees this.
/// </summary>
public sealed class ComponentStoppedException(string component)
    : InvalidOperationException($"{component} is shut down and accepts no more data");
