using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>
/// A profile: samples of one sample type over [TimeUnixNano, TimeUnixNano + DurationNano).
/// <see cref="SampleType"/> and <see cref="PeriodType"/> are null when the producer left them out.
/// </summary>
public sealed class Profile
{
    public ValueType? SampleType { get; set; }

    public List<Sample> Samples { get; init; } = [];

    public ulong TimeUnixNano { get; set; }

    public ulong DurationNano { get; set; }

    public ValueType? PeriodType { get; set; }

    public long Period { get; set; }

    /// <summary>16 bytes, or empty when absent.</summary>
    public ImmutableArray<byte> ProfileId { get; set; } = [];

    public uint DroppedAttributesCount { get; set; }

    public string OriginalPayloadFormat { get; set; } = "";

    public ImmutableArray<byte> OriginalPayload { get; set; } = [];

    public ImmutableArray<KeyValueAndUnit> Attributes { get; set; } = [];

    public Profile Clone() => new()
    {
        SampleType = SampleType,
        Samples = Samples.ConvertAll(s => s.Clone()),
        TimeUnixNano = TimeUnixNano,
        DurationNano = DurationNano,
        PeriodType = PeriodType,
        Period = Period,
        ProfileId = ProfileId,
        DroppedAttributesCount = DroppedAttributesCount,
        OriginalPayloadFormat = OriginalPayloadFormat,
        OriginalPayload = OriginalPayload,
        Attributes = Attributes,
    };
}
