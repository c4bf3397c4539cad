using Collector.Core.Components;

namespace Collector.Exporters.Sending;

/// <summary>
/// <c>retry_on_failure</c>: exponential backoff with jitter between attempts of one request, as the Collector's
/// <c>configretry.BackOffConfig</c> with the same defaults.
/// </summary>
public sealed class RetryOnFailureOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The wait before the first retry (before jitter).</summary>
    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait between attempts never grows beyond this (before jitter).</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may be retried before it is given up; zero retries forever.</summary>
    public TimeSpan MaxElapsedTime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Each wait is the previous one times this.</summary>
    public double Multiplier { get; set; } = 1.5;

    /// <summary>Each wait is drawn uniformly from interval × [1 − f, 1 + f].</summary>
    public double RandomizationFactor { get; set; } = 0.5;

    public IEnumerable<OptionsError> Validate(string prefix)
    {
        if (!Enabled) yield break;
        if (InitialInterval <= TimeSpan.Zero) yield return new OptionsError(prefix + "initial_interval", "must be greater than zero");
        if (MaxInterval < InitialInterval) yield return new OptionsError(prefix + "max_interval", "must not be less than initial_interval");
        if (MaxElapsedTime < TimeSpan.Zero) yield return new OptionsError(prefix + "max_elapsed_time", "must not be negative (0 retries forever)");
        if (!(Multiplier >= 1)) yield return new OptionsError(prefix + "multiplier", "must be at least 1");
        if (!(RandomizationFactor is >= 0 and <= 1)) yield return new OptionsError(prefix + "randomization_factor", "must be between 0 and 1");
    }
}
