using Collector.Core.Components;
using Collector.Receivers.OtlpJsonFile;

namespace Collector.Receivers.Tests.OtlpJsonFile;

public class OtlpJsonFileReceiverOptionsTests
{
    [Fact]
    public void Defaults_read_once_from_the_beginning()
    {
        var factory = new OtlpJsonFileReceiverFactory();
        var options = (OtlpJsonFileReceiverOptions)factory.CreateDefaultOptions();

        Assert.Equal(StartAt.Beginning, options.StartAt);
        Assert.False(options.Follow);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.PollInterval);
        Assert.Equal("otlp_json_file", factory.Type);
        Assert.Equal(ComponentKind.Receiver, factory.Kind);
        Assert.False(string.IsNullOrWhiteSpace(factory.Description));
    }

    [Fact]
    public void Include_is_required()
    {
        Assert.Equal([OptionsError.Required("include")], new OtlpJsonFileReceiverOptions().Validate());
    }

    [Fact]
    public void Bad_values_name_their_keys()
    {
        var options = new OtlpJsonFileReceiverOptions { Include = ["a.jsonl", " "], PollInterval = TimeSpan.Zero };

        Assert.Equal(["include::1", "poll_interval"], options.Validate().Select(e => e.Key));
    }

    [Fact]
    public void Valid_options_have_no_errors()
    {
        Assert.Empty(new OtlpJsonFileReceiverOptions { Include = ["/var/log/*.jsonl"], Follow = true, StartAt = StartAt.End }.Validate());
    }
}
