using Collector.Exporters.Sending;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Exporters.Tests.Sending;

/// <summary>The retry schedule, on a clock the test drives: no real waiting.</summary>
public class RetryingSenderTests
{
    private static readonly ExportRequest Request = new(RequestEncoding.Proto, [1, 2, 3], samples: 3);

    private readonly DrivenClock _time = new();

    [Fact]
    public void The_backoff_grows_by_the_multiplier_up_to_the_maximum_within_the_jitter_band()
    {
        var options = new RetryOnFailureOptions();
        var low = new ExponentialBackoff(options, () => 0.0);
        var middle = new ExponentialBackoff(options, () => 0.5);
        var high = new ExponentialBackoff(options, () => 1.0);

        var expected = new[] { 5.0, 7.5, 11.25, 16.875, 25.3125, 30, 30 };
        foreach (var interval in expected)
        {
            Assert.Equal(interval, middle.NextDelay().TotalSeconds, 6);
            Assert.Equal(interval * 0.5, low.NextDelay().TotalSeconds, 6);
            Assert.Equal(interval * 1.5, high.NextDelay().TotalSeconds, 6);
        }
    }

    [Fact]
    public async Task Retries_a_retryable_failure_after_each_backoff_until_it_succeeds()
    {
        var client = new ScriptedClient(_time, attempt => attempt <= 3 ? new ExportFailedException("UNAVAILABLE", retryable: true) : null);
        var sender = Sender(client, new RetryOnFailureOptions());

        var send = sender.SendAsync(Request, default);
        var result = await _time.RunAsync(send, TimeSpan.FromMinutes(1));

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        var start = client.Attempts[0];
        Assert.Equal([0, 5, 12.5, 23.75], client.Attempts.Select(a => (a - start).TotalSeconds));
    }

    [Fact]
    public async Task Gives_up_when_the_next_wait_would_pass_max_elapsed_time()
    {
        var client = new ScriptedClient(_time, _ => new ExportFailedException("UNAVAILABLE", retryable: true));
        var sender = Sender(client, new RetryOnFailureOptions { MaxElapsedTime = TimeSpan.FromSeconds(60) });

        var send = sender.SendAsync(Request, default);
        var result = await _time.RunAsync(send, TimeSpan.FromMinutes(10));

        Assert.Equal(SendOutcome.GaveUp, result.Outcome);
        // Waits 5, 7.5, 11.25, 16.875 (elapsed 40.625); the next, 25.3125, would end past 60 s.
        var start = client.Attempts[0];
        Assert.Equal([0, 5, 12.5, 23.75, 40.625], client.Attempts.Select(a => (a - start).TotalSeconds));
    }

    [Fact]
    public async Task Max_elapsed_time_zero_retries_for_as_long_as_it_takes()
    {
        var client = new ScriptedClient(_time, attempt => attempt < 200 ? new ExportFailedException("UNAVAILABLE", retryable: true) : null);
        var sender = Sender(client, new RetryOnFailureOptions { MaxElapsedTime = TimeSpan.Zero });

        var send = sender.SendAsync(Request, default);
        var result = await _time.RunAsync(send, TimeSpan.FromHours(3));

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal(200, client.Attempts.Count);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        var client = new ScriptedClient(_time, _ => new ExportFailedException("INVALID_ARGUMENT", retryable: false));
        var sender = Sender(client, new RetryOnFailureOptions());

        var result = await sender.SendAsync(Request, default);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Single(client.Attempts);
    }

    [Fact]
    public async Task A_server_hint_longer_than_the_backoff_replaces_it_and_a_shorter_one_does_not()
    {
        var hints = new TimeSpan?[] { TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1) };
        var client = new ScriptedClient(_time, attempt => attempt <= 2 ? new ExportFailedException("RESOURCE_EXHAUSTED", retryable: true, hints[attempt - 1]) : null);
        var sender = Sender(client, new RetryOnFailureOptions());

        var send = sender.SendAsync(Request, default);
        await _time.RunAsync(send, TimeSpan.FromMinutes(1));

        var start = client.Attempts[0];
        Assert.Equal([0, 20, 27.5], client.Attempts.Select(a => (a - start).TotalSeconds));
    }

    [Fact]
    public async Task With_retries_disabled_a_retryable_failure_gives_up_at_once()
    {
        var client = new ScriptedClient(_time, _ => new ExportFailedException("UNAVAILABLE", retryable: true));
        var sender = Sender(client, new RetryOnFailureOptions { Enabled = false });

        var result = await sender.SendAsync(Request, default);

        Assert.Equal(SendOutcome.GaveUp, result.Outcome);
        Assert.Single(client.Attempts);
    }

    [Fact]
    public async Task Cancellation_during_a_wait_ends_the_attempts()
    {
        var client = new ScriptedClient(_time, _ => new ExportFailedException("UNAVAILABLE", retryable: true));
        var sender = Sender(client, new RetryOnFailureOptions());
        using var stop = new CancellationTokenSource();

        var send = sender.SendAsync(Request, stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Single(client.Attempts);
    }

    /// <summary>Jitter pinned to the middle of its band, so waits are exactly the nominal intervals.</summary>
    private RetryingSender Sender(IExportClient client, RetryOnFailureOptions options) =>
        new(client, options, _time, NullLogger.Instance, () => 0.5);
}
