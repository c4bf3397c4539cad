namespace Collector.Receivers.Tests.Support;

/// <summary>Waits for a condition that a background task makes true; fails with a message after a generous timeout.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Lets a followed file be polled several times, for checks that something does NOT happen.</summary>
    public static Task SeveralPollsAsync() => Task.Delay(600);
}
