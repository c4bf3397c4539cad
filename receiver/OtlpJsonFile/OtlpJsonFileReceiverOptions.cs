using Collector.Core.Components;

namespace Collector.Receivers.OtlpJsonFile;

/// <summary>Options of the <c>otlp_json_file</c> receiver.</summary>
public sealed class OtlpJsonFileReceiverOptions : IComponentOptions
{
    /// <summary>Paths or globs (<c>*</c>, <c>?</c>, <c>**</c>), relative to the working directory; required.</summary>
    public List<string> Include { get; set; } = [];

    public StartAt StartAt { get; set; } = StartAt.Beginning;

    /// <summary>False reads each file to its end once; true keeps reading what is appended, and new files.</summary>
    public bool Follow { get; set; }

    /// <summary>How often a followed file is checked for new lines, truncation or replacement.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public IEnumerable<OptionsError> Validate()
    {
        if (Include.Count == 0)
        {
            yield return OptionsError.Required("include");
        }
        for (var i = 0; i < Include.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Include[i])) yield return new OptionsError($"include::{i}", "must not be empty");
        }
        if (!Enum.IsDefined(StartAt))
        {
            yield return new OptionsError("start_at", $"\"{StartAt}\" is not a start position: use beginning or end");
        }
        if (PollInterval <= TimeSpan.Zero)
        {
            yield return new OptionsError("poll_interval", "must be greater than zero");
        }
    }
}
