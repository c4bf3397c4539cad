namespace Collector.Core.Components;

/// <summary>
/// A component's configuration: plain data with public settable properties, bound from YAML by the config
/// layer. Property names map to snake_case keys (<c>MaxMegabytes</c> → <c>max_megabytes</c>) unless
/// <see cref="ConfigKeyAttribute"/> says otherwise. Defaults are the property initialisers.
/// A nullable nested options object is null when its key is absent, so "the key is present" can switch a
/// feature on (as <c>rotation:</c> does for the file exporter).
/// </summary>
public interface IComponentOptions
{
    /// <summary>Checks values after binding. Each error names the key it concerns, relative to the component.</summary>
    IEnumerable<OptionsError> Validate();
}

/// <summary>
/// A problem with one option. <paramref name="Key"/> is the path below the component, with <c>::</c> between
/// levels (<c>rotation::max_megabytes</c>), or null when the problem concerns the component as a whole
/// (for example a required key that is missing is reported as <c>path is required</c> with key <c>null</c>
/// and lands on the component's own line).
/// </summary>
public readonly record struct OptionsError(string? Key, string Message)
{
    public static OptionsError Required(string key) => new(null, $"{key} is required");
}

/// <summary>Overrides the YAML key a property binds to.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}

/// <summary>Options for components that take none; any key given to them is an error.</summary>
public sealed class EmptyOptions : IComponentOptions
{
    public IEnumerable<OptionsError> Validate() => [];
}
