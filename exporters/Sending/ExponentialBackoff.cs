namespace Collector.Exporters.Sending;

/// <summary>
/// The waits between attempts of one request: the interval starts at <c>initial_interval</c> and grows by
/// <c>multiplier</c> up to <c>max_interval</c>; each wait is drawn uniformly from interval × [1 − f, 1 + f]
/// (f = <c>randomization_factor</c>) so that many senders failing at once do not retry in lockstep.
/// This is the schedule of the Collector's backoff (cenkalti/backoff's ExponentialBackOff).
/// </summary>
internal sealed class ExponentialBackoff(RetryOnFailureOptions options, Func<double> random)
{
    private TimeSpan _interval = options.InitialInterval;

    public TimeSpan NextDelay()
    {
        var delta = _interval * options.RandomizationFactor;
        var delay = _interval - delta + (2 * delta * random());
        _interval = _interval >= options.MaxInterval / options.Multiplier ? options.MaxInterval : _interval * options.Multiplier;
        return delay;
    }
}
