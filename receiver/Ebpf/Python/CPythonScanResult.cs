namespace Collector.Receivers.Ebpf.Python;

internal enum CPythonScanOutcome
{
    NotPython,
    Failed,
    Detected,
}

/// <summary>What examining one process found: no CPython, CPython that cannot be walked (and why), or a target.</summary>
internal readonly record struct CPythonScanResult(CPythonScanOutcome Outcome, CPythonTarget? Target, string Reason)
{
    public static CPythonScanResult NotPython { get; } = new(CPythonScanOutcome.NotPython, null, "");

    public static CPythonScanResult Failure(string reason) => new(CPythonScanOutcome.Failed, null, reason);

    public static CPythonScanResult Of(CPythonTarget target) => new(CPythonScanOutcome.Detected, target, "");
}
