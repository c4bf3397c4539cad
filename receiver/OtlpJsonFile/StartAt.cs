namespace Collector.Receivers.OtlpJsonFile;

/// <summary>Where to begin in the files that already exist when the receiver starts.</summary>
public enum StartAt
{
    Beginning,

    /// <summary>Only lines appended after start (useful with follow); files that appear later are read whole.</summary>
    End,
}
