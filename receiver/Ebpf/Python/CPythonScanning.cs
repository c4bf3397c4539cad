using Collector.Bpf;
using Collector.Core.Model;
using Collector.Interpreters.CPython;
using Collector.ProcMaps;

namespace Collector.Receivers.Ebpf.Python;

/// <summary>Examines a process with the shared <see cref="CPythonDetector"/> and turns what it finds into what the kernel walk needs.</summary>
internal static class CPythonScanning
{
    /// <param name="procRoot">Where /proc is.</param>
    /// <param name="adjust">Changes the layout before it goes to the kernel (tests feed wrong offsets with it); null: as detected.</param>
    public static Func<int, IReadOnlyList<MapsEntry>, CPythonScanResult> Detector(string procRoot, Func<PythonWalkLayout, PythonWalkLayout>? adjust = null)
    {
        var detector = new CPythonDetector(ProcessMemory.Instance, procRoot);
        return (pid, maps) => ToResult(detector.Detect(pid, maps), adjust);
    }

    internal static CPythonScanResult ToResult(CPythonDetection detection, Func<PythonWalkLayout, PythonWalkLayout>? adjust)
    {
        if (detection.Process is not { } process)
        {
            return detection.Failure == CPythonDetectionFailure.NotPython
                ? CPythonScanResult.NotPython
                : CPythonScanResult.Failure(detection.Failure.ToString());
        }
        if (CPythonWalkLayouts.From(process.Layout) is not { } layout)
        {
            return CPythonScanResult.Failure($"the layout of {process.Layout.Version} does not fit the kernel walk's offsets");
        }
        if (adjust is not null)
        {
            layout = adjust(layout);
        }
        return CPythonScanResult.Of(new CPythonTarget(
            process.Runtime, process.CodeType, new CodeRange(process.EvalFrameStart, process.EvalFrameEnd), layout, process.Layout.Version.ToString()));
    }
}
