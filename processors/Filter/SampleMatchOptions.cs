using System.Text.RegularExpressions;
using Collector.Core.Components;

namespace Collector.Processors.Filter;

/// <summary>
/// What a sample must match for <c>include</c> or <c>exclude</c>. Every list given must have an entry that
/// matches (the lists combine with AND, the entries of one list with OR). Patterns are regular expressions
/// matched anywhere in the text (anchor them with <c>^…$</c> for a whole name), in linear time like the
/// Collector's RE2: backreferences and lookarounds are refused.
/// </summary>
public sealed class SampleMatchOptions
{
    /// <summary>Patterns on the resource's <c>process.executable.name</c>.</summary>
    public List<string> ProcessNames { get; set; } = [];

    /// <summary>Patterns on the resource's <c>process.executable.path</c>.</summary>
    public List<string> ExecutablePaths { get; set; } = [];

    /// <summary>Patterns on the resource's <c>container.id</c>.</summary>
    public List<string> ContainerIds { get; set; } = [];

    /// <summary>Any resource attribute: the key exactly, the value by pattern (an empty pattern: the key is present).</summary>
    public List<ResourceAttributeMatch> ResourceAttributes { get; set; } = [];

    /// <summary>Patterns on the function names of the sample's frames: a sample matches when any frame, inlined ones included, does.</summary>
    public List<string> FunctionNames { get; set; } = [];

    internal IEnumerable<OptionsError> Validate(string path)
    {
        if (ProcessNames.Count + ExecutablePaths.Count + ContainerIds.Count + ResourceAttributes.Count + FunctionNames.Count == 0)
        {
            yield return new OptionsError(path, "give at least one of process_names, executable_paths, container_ids, resource_attributes, function_names");
        }
        foreach (var error in Patterns($"{path}::process_names", ProcessNames)
            .Concat(Patterns($"{path}::executable_paths", ExecutablePaths))
            .Concat(Patterns($"{path}::container_ids", ContainerIds))
            .Concat(Patterns($"{path}::function_names", FunctionNames)))
        {
            yield return error;
        }
        for (var i = 0; i < ResourceAttributes.Count; i++)
        {
            var entry = $"{path}::resource_attributes::{i}";
            if (string.IsNullOrEmpty(ResourceAttributes[i].Key))
            {
                yield return new OptionsError($"{entry}::key", "is required");
            }
            if (PatternProblem(ResourceAttributes[i].Value) is { } problem)
            {
                yield return new OptionsError($"{entry}::value", problem);
            }
        }
    }

    /// <summary>The one way patterns are built, for validation and use alike.</summary>
    internal static Regex Compile(string pattern) =>
        // NonBacktracking: linear time whatever the pattern, so a function name can never stall a batch (no
        // timeout to handle). Compiled is left out: Native AOT ignores it, and under the JIT it costs start-up
        // for patterns that run once per distinct resource or frame per batch.
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static IEnumerable<OptionsError> Patterns(string path, List<string> patterns)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (PatternProblem(patterns[i]) is { } problem)
            {
                yield return new OptionsError($"{path}::{i}", problem);
            }
        }
    }

    private static string? PatternProblem(string pattern)
    {
        try
        {
            _ = Compile(pattern);
            return null;
        }
        catch (Exception error) when (error is ArgumentException or NotSupportedException)
        {
            return $"\"{pattern}\" is not a usable regular expression: {error.Message}";
        }
    }
}
