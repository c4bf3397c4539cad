using System.Text.RegularExpressions;
using Collector.Core.Model;

namespace Collector.Processors.Filter;

/// <summary>
/// One <c>include</c> or <c>exclude</c> block, compiled once: the resource criteria (each a set of alternatives)
/// and the function-name patterns. The resource part is decided once per resource, the stack part once per
/// distinct stack and batch (<see cref="StackVerdicts"/>).
/// </summary>
internal sealed class SampleMatcher
{
    private readonly List<AttributePattern[]> _resourceCriteria = [];
    private readonly Regex[] _functionNames;

    public SampleMatcher(SampleMatchOptions options)
    {
        AddCriterion(options.ProcessNames.Select(p => new AttributePattern(SemanticConventions.ProcessExecutableName, SampleMatchOptions.Compile(p))));
        AddCriterion(options.ExecutablePaths.Select(p => new AttributePattern(SemanticConventions.ProcessExecutablePath, SampleMatchOptions.Compile(p))));
        AddCriterion(options.ContainerIds.Select(p => new AttributePattern(SemanticConventions.ContainerId, SampleMatchOptions.Compile(p))));
        AddCriterion(options.ResourceAttributes.Select(a => new AttributePattern(a.Key, SampleMatchOptions.Compile(a.Value))));
        _functionNames = [.. options.FunctionNames.Select(SampleMatchOptions.Compile)];
    }

    public bool HasStackCriterion => _functionNames.Length > 0;

    /// <summary>True when every resource criterion has an alternative the resource matches (true without any).</summary>
    public bool MatchesResource(Core.Model.Resource? resource) =>
        _resourceCriteria.TrueForAll(alternatives => Array.Exists(alternatives, pattern => pattern.Matches(resource)));

    /// <summary>True when some frame of the stack has a function whose name matches a pattern (true without patterns).</summary>
    public bool MatchesStack(Stack stack)
    {
        if (_functionNames.Length == 0) return true;
        foreach (var location in stack.Locations)
        {
            foreach (var line in location.Lines)
            {
                if (line.Function is { } function && MatchesName(function.Name.Length > 0 ? function.Name : function.SystemName)) return true;
            }
        }
        return false;
    }

    private bool MatchesName(string name) => Array.Exists(_functionNames, pattern => pattern.IsMatch(name));

    private void AddCriterion(IEnumerable<AttributePattern> alternatives)
    {
        var array = alternatives.ToArray();
        if (array.Length > 0) _resourceCriteria.Add(array);
    }

    private sealed record AttributePattern(string Key, Regex Value)
    {
        public bool Matches(Core.Model.Resource? resource)
        {
            if (resource is null) return false;
            foreach (var attribute in resource.Attributes)
            {
                if (attribute.Key == Key && Value.IsMatch(Text(attribute.Value))) return true;
            }
            return false;
        }

        private static string Text(AnyValue? value) => value is null ? "" : value.Kind == AnyValueKind.String ? value.StringValue : value.ToString();
    }
}
