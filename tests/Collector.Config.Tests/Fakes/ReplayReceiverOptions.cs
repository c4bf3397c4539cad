using Collector.Core.Components;

namespace Collector.Config.Tests.Fakes;

/// <summary>
/// Options of the fake <c>otlp_json_file</c> receiver. It carries one property of every type the binder
/// supports, so binder tests can reach each through a real component.
/// </summary>
public sealed class ReplayReceiverOptions : IComponentOptions
{
    public string Path { get; set; } = "";

    public bool Loop { get; set; }

    public double Rate { get; set; } = 1.0;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    public int MaxFiles { get; set; } = 10;

    public long Offset { get; set; }

    public uint Limit { get; set; } = 100;

    public ulong MaxBytes { get; set; } = 1UL << 32;

    public ReplayMode Mode { get; set; } = ReplayMode.Once;

    public int? Priority { get; set; }

    public TimeSpan? StartDelay { get; set; }

    public ReplayMode? FallbackMode { get; set; }

    public List<string> Tags { get; set; } = ["default"];

    public IList<int> Ports { get; set; } = [];

    public IReadOnlyList<double> Weights { get; set; } = [];

    public TimeSpan[] Delays { get; set; } = [];

    public List<int?> Slots { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];

    public IReadOnlyDictionary<string, int> Quotas { get; set; } = new Dictionary<string, int>();

    public List<FilterOptions> Filters { get; set; } = [];

    public Dictionary<string, FilterOptions> NamedFilters { get; set; } = [];

    public RetryOptions Retry { get; set; } = new();

    public TlsOptions? Tls { get; set; }

    [ConfigKey("max_recv_msg_size_mib")]
    public int MaxReceiveMessageSizeMiB { get; init; } = 4;

    /// <summary>Read-only, so not a config key.</summary>
    public bool IsBounded => Limit > 0;

    public IEnumerable<OptionsError> Validate()
    {
        if (Path.Length == 0)
        {
            yield return OptionsError.Required("path");
        }
        if (MaxFiles is < 1 or > 1000)
        {
            yield return new("max_files", "must be between 1 and 1000");
        }
        if (Retry.Multiplier < 1)
        {
            yield return new("retry::multiplier", "must be at least 1");
        }
        if (Tls is { Insecure: false, CaFile: null })
        {
            yield return new("tls", "ca_file is required unless insecure is true");
        }
        for (var i = 0; i < Filters.Count; i++)
        {
            if (Filters[i].Attribute.Length == 0)
            {
                yield return new($"filters::{i}", "attribute is required");
            }
        }
    }
}

public enum ReplayMode
{
    Once,
    Forever,
    UntilEmpty,
}

public sealed class FilterOptions
{
    public string Attribute { get; set; } = "";

    public bool Negate { get; set; }
}

public sealed class RetryOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(5);

    public double Multiplier { get; set; } = 1.5;
}

public sealed class TlsOptions
{
    public bool Insecure { get; set; }

    public string? CaFile { get; set; }
}
