namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>What came of asking a runtime to write its perf map; the label values of the requests metric.</summary>
internal enum PerfMapRequestOutcome
{
    /// <summary>The runtime now writes its perf map (and, for .NET, stops again when the collector stops).</summary>
    Enabled,

    /// <summary>The process had perf maps on already (environment or an existing map): left alone.</summary>
    AlreadyOn,

    /// <summary>No way in: .NET without a diagnostics socket (<c>DOTNET_EnableDiagnostics=0</c>), a JVM with the attach mechanism disabled.</summary>
    Disabled,

    /// <summary>The runtime answered with an error (a runtime too old for the command, a refused command).</summary>
    Refused,

    /// <summary>The process exited during the handshake, or did not answer in time.</summary>
    Failed,

    /// <summary>At shutdown: a runtime we turned perf maps on for has them off again.</summary>
    TurnedOff,
}

internal static class PerfMapRequestOutcomeNames
{
    public static string Label(this PerfMapRequestOutcome outcome) => outcome switch
    {
        PerfMapRequestOutcome.Enabled => "enabled",
        PerfMapRequestOutcome.AlreadyOn => "already_on",
        PerfMapRequestOutcome.Disabled => "disabled",
        PerfMapRequestOutcome.Refused => "refused",
        PerfMapRequestOutcome.Failed => "failed",
        _ => "turned_off",
    };
}
