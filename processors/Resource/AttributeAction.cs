using Collector.Core.Components;

namespace Collector.Processors.Resources;

/// <summary>One entry of the <c>resource</c> processor's <c>attributes</c> list: what to do with one resource attribute key.</summary>
public sealed class AttributeAction
{
    public string Key { get; set; } = "";

    /// <summary>The value to set, as a string (the binder types values by option, not by YAML tag). Null when absent.</summary>
    public string? Value { get; set; }

    /// <summary>Another resource attribute whose value (of any type) is copied; when the resource lacks it, the action does nothing.</summary>
    public string? FromAttribute { get; set; }

    /// <summary>Null when absent, which is an error: the Collector has no default action either.</summary>
    public AttributeActionKind? Action { get; set; }

    internal IEnumerable<OptionsError> Validate(string path)
    {
        if (string.IsNullOrEmpty(Key))
        {
            yield return new OptionsError($"{path}::key", "is required");
        }
        switch (Action)
        {
            case null:
                yield return new OptionsError($"{path}::action", "is required: one of insert, update, upsert, delete");
                break;
            case AttributeActionKind.Delete when Value is not null || FromAttribute is not null:
                yield return new OptionsError(path, "action delete takes neither value nor from_attribute");
                break;
            case AttributeActionKind.Delete:
                break;
            default:
                if (Value is null && FromAttribute is null)
                {
                    yield return new OptionsError(path, $"action {Action.Value.ToString().ToLowerInvariant()} needs value or from_attribute");
                }
                else if (Value is not null && FromAttribute is not null)
                {
                    yield return new OptionsError(path, "give value or from_attribute, not both");
                }
                else if (FromAttribute is { Length: 0 })
                {
                    yield return new OptionsError($"{path}::from_attribute", "must not be empty");
                }
                break;
        }
    }
}

/// <summary>The Collector's attribute actions that apply to resources without patterns or hashing.</summary>
public enum AttributeActionKind
{
    /// <summary>Adds the attribute only where the key is absent.</summary>
    Insert,

    /// <summary>Changes the attribute only where the key is present.</summary>
    Update,

    /// <summary>Insert or update: the key ends up with the value either way.</summary>
    Upsert,

    /// <summary>Removes the key.</summary>
    Delete,
}
