using System.Text.RegularExpressions;
using Collector.Core.Model;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Which processes a request wants: a pid, a process name (regex over <c>process.executable.name</c> and
/// <c>.path</c>, matched anywhere, as the receiver's <c>process_names</c>), a container id or a prefix of one.
/// Unset parts match everything; a resource without the attribute does not match a set part.
/// </summary>
internal sealed record ProfileFilter(long? Pid, Regex? Process, string? ContainerId)
{
    public static readonly ProfileFilter All = new(null, null, null);

    public bool Matches(Resource? resource)
    {
        if (Pid is { } pid && PprofReport.ProcessIdOf(resource) != pid) return false;
        if (Process is { } process)
        {
            var name = PprofReport.AttributeOf(resource, SemanticConventions.ProcessExecutableName)?.StringValue ?? "";
            var path = PprofReport.AttributeOf(resource, SemanticConventions.ProcessExecutablePath)?.StringValue ?? "";
            if (!(name.Length > 0 && process.IsMatch(name)) && !(path.Length > 0 && process.IsMatch(path))) return false;
        }
        if (ContainerId is { Length: > 0 } container)
        {
            var id = PprofReport.AttributeOf(resource, SemanticConventions.ContainerId)?.StringValue ?? "";
            if (!id.StartsWith(container, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    /// <summary>Reads <c>pid</c>, <c>process</c> and <c>container_id</c>; an error names the parameter.</summary>
    public static bool TryParse(string? pid, string? process, string? containerId, out ProfileFilter filter, out string? error)
    {
        filter = All;
        error = null;
        long? pidValue = null;
        if (!string.IsNullOrEmpty(pid))
        {
            if (!long.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                error = $"pid \"{pid}\" is not a process id";
                return false;
            }
            pidValue = parsed;
        }
        Regex? processRegex = null;
        if (!string.IsNullOrEmpty(process))
        {
            try
            {
                processRegex = new Regex(process, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException exception)
            {
                error = $"process \"{process}\" is not a regular expression: {exception.Message}";
                return false;
            }
        }
        filter = new ProfileFilter(pidValue, processRegex, string.IsNullOrEmpty(containerId) ? null : containerId);
        return true;
    }
}
