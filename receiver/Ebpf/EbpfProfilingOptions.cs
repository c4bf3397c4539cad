using System.Globalization;
using System.Text.RegularExpressions;
using Collector.Bpf;
using Collector.Core.Components;
using Collector.Receivers.Ebpf.Unwinding;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Options of the <c>ebpf_profiling</c> receiver. Without target filters every process on the machine is
/// sampled (except the collector itself). Filters of different kinds must all match; within one list, any entry.
/// </summary>
public sealed class EbpfProfilingOptions : IComponentOptions
{
    /// <summary>The most pids the kernel-side filter holds (PROFILER_MAX_TARGET_PIDS in bpf/profiler.h).</summary>
    public const int MaxPids = KernelProfiler.MaxTargetPids;

    public const int MaxSamplesPerSecond = 10_000;

    /// <summary>The watermark tick: shorter report intervals could not be honoured.</summary>
    public static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Samples per second on each CPU. 19 (not 20) keeps sampling out of step with periodic work.</summary>
    public int SamplesPerSecond { get; set; } = 19;

    /// <summary>Also record the kernel part of each stack.</summary>
    public bool KernelStacks { get; set; } = true;

    /// <summary>
    /// Also record, for each user frame, the build id and file offset the kernel finds it in: this names the frames
    /// of processes that exit before their memory maps can be read. It walks each user stack a second time, which
    /// about doubles the BPF program's run time per sample.
    /// </summary>
    public bool UserBuildIds { get; set; } = true;

    public const string NativeUnwindingAuto = "auto";
    public const string NativeUnwindingFramePointers = "frame_pointers";

    /// <summary>
    /// <c>auto</c>: user stacks are unwound in the kernel from tables built from each file's call-frame information
    /// (.eh_frame, .debug_frame), by frame pointer where there is none (JIT code); falls back to
    /// <c>frame_pointers</c>, with one log line, on kernels without what that needs (Linux 5.17+).
    /// <c>frame_pointers</c>: the kernel's frame-pointer walk only (code built without them shows its leaf alone).
    /// </summary>
    public string NativeUnwinding { get; set; } = NativeUnwindingAuto;

    /// <summary>Interpreter frames of CPython processes (3.10–3.13), read in the kernel at sample time; needs <c>native_unwinding: auto</c>.</summary>
    public PythonOptions Python { get; set; } = new();

    /// <summary>Changes each CPython walk layout before it goes to the kernel (not configuration: tests feed wrong offsets).</summary>
    internal Func<PythonWalkLayout, PythonWalkLayout>? PythonLayoutAdjustment { get; set; }

    /// <summary>The unwinder's internal limits (not configuration: tests shorten its times).</summary>
    internal NativeUnwinderSettings UnwinderSettings { get; set; } = new();

    /// <summary>How long samples gather before they go downstream as one batch.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Only these processes (filtered in the kernel).</summary>
    public IReadOnlyList<int> Pids { get; set; } = [];

    /// <summary>Only processes whose name (comm) or executable path matches one of these regular expressions.</summary>
    public IReadOnlyList<string> ProcessNames { get; set; } = [];

    /// <summary>Only processes in this cgroup or below it, e.g. <c>/kubepods/burstable</c> or <c>/system.slice/nginx.service</c>.</summary>
    public string Cgroup { get; set; } = "";

    /// <summary>Only processes of this container: its id (64 hex digits) or a prefix of at least 12, as found in the cgroup path.</summary>
    public string ContainerId { get; set; } = "";

    /// <summary>Never sample the collector's own process.</summary>
    public bool ExcludeSelf { get; set; } = true;

    /// <summary>True when a filter needs /proc (names, cgroup, container), which the kernel side cannot apply.</summary>
    internal bool HasUserSpaceFilters => ProcessNames.Count > 0 || Cgroup.Length > 0 || ContainerId.Length > 0;

    public IEnumerable<OptionsError> Validate()
    {
        if (SamplesPerSecond is < 1 or > MaxSamplesPerSecond)
        {
            yield return new OptionsError("samples_per_second", $"must be between 1 and {MaxSamplesPerSecond}, got {SamplesPerSecond}");
        }
        if (NativeUnwinding is not (NativeUnwindingAuto or NativeUnwindingFramePointers))
        {
            yield return new OptionsError("native_unwinding", $"must be \"{NativeUnwindingAuto}\" or \"{NativeUnwindingFramePointers}\", got \"{NativeUnwinding}\"");
        }
        if (ReportInterval < MinReportInterval)
        {
            yield return new OptionsError("report_interval", $"must be at least {MinReportInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms (the watermark is published every 500ms)");
        }
        if (Pids.Count > MaxPids)
        {
            yield return new OptionsError("pids", $"at most {MaxPids} pids, got {Pids.Count}");
        }
        foreach (var pid in Pids.Where(pid => pid <= 0).Distinct())
        {
            yield return new OptionsError("pids", $"{pid} is not a process id (must be positive)");
        }
        for (var i = 0; i < ProcessNames.Count; i++)
        {
            if (RegexProblem(ProcessNames[i]) is { } problem)
            {
                yield return new OptionsError("process_names", $"entry {i} \"{ProcessNames[i]}\" is not a valid regular expression: {problem}");
            }
        }
        if (Cgroup.Length > 0 && !Cgroup.StartsWith('/'))
        {
            yield return new OptionsError("cgroup", $"\"{Cgroup}\" must be an absolute cgroup path starting with '/', as in /proc/<pid>/cgroup");
        }
        if (ContainerId.Length > 0 && !ContainerIds.IsValidFilter(ContainerId))
        {
            yield return new OptionsError("container_id", $"\"{ContainerId}\" must be 12 to 64 lowercase hexadecimal digits");
        }
    }

    /// <summary>The process name patterns, compiled once; only valid options reach the receiver.</summary>
    internal Regex[] CompileProcessNames() =>
        [.. ProcessNames.Select(pattern => new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100)))];

    private static string? RegexProblem(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return null;
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
    }
}
