using Collector.Core.Model;
using Collector.Exporters.Debug;

namespace Collector.Exporters.Prometheus;

/// <summary>
/// The labels <c>profile_cpu_seconds_total</c> can carry and where each comes from:
/// <list type="bullet">
/// <item><c>process</c>: resource <c>process.executable.name</c>, else <c>process.pid</c> (raw samples have only the pid).</item>
/// <item><c>pid</c>: resource <c>process.pid</c>.</item>
/// <item><c>container_id</c>: resource <c>container.id</c>.</item>
/// <item><c>service</c>: resource <c>service.name</c>.</item>
/// <item><c>thread</c>: sample <c>thread.name</c>.</item>
/// <item><c>function</c>: the leaf frame, so the counter is self time; named as the debug exporter names frames
/// (the innermost inlined function, else <c>module+0xaddr</c>; kernel frames start with <c>[kernel] </c>).</item>
/// </list>
/// A value the data does not have is empty, and an empty label is left out of the series.
/// </summary>
internal static class CpuTimeLabels
{
    public const string Process = "process";
    public const string Pid = "pid";
    public const string ContainerId = "container_id";
    public const string Service = "service";
    public const string Thread = "thread";
    public const string Function = "function";

    /// <summary>The function a stack without frames is counted under.</summary>
    public const string NoFrames = "[no frames]";

    public static readonly IReadOnlyList<string> All = [Process, Pid, ContainerId, Service, Thread, Function];

    /// <summary>The resource-level label values, looked up once per resource.</summary>
    public static (string Process, string Pid, string ContainerId, string Service) OfResource(Resource? resource)
    {
        string pid = "", executable = "", container = "", service = "";
        foreach (var attribute in resource?.Attributes ?? [])
        {
            switch (attribute.Key)
            {
                case "process.pid": pid = Text(attribute.Value); break;
                case "process.executable.name": executable = Text(attribute.Value); break;
                case "container.id": container = Text(attribute.Value); break;
                case "service.name": service = Text(attribute.Value); break;
            }
        }
        return (executable.Length > 0 ? executable : pid, pid, container, service);
    }

    public static string ThreadOf(Sample sample)
    {
        foreach (var attribute in sample.Attributes)
        {
            if (attribute.Key == "thread.name") return Text(attribute.Value);
        }
        return "";
    }

    public static string FunctionOf(Stack stack) => stack.Locations.Length == 0 ? NoFrames : FrameNames.Leaf(stack.Locations[0]);

    private static string Text(AnyValue? value) => value is null || value.Kind == AnyValueKind.Empty ? "" : value.ToString();
}
