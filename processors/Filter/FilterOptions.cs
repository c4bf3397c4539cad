using Collector.Core.Components;

namespace Collector.Processors.Filter;

/// <summary>
/// Options of the <c>filter</c> processor. A sample is kept when it matches <see cref="Include"/> (if given) and
/// does not match <see cref="Exclude"/> (if given); with neither, everything passes, as in the Collector.
/// </summary>
public sealed class FilterOptions : IComponentOptions
{
    public SampleMatchOptions? Include { get; set; }

    public SampleMatchOptions? Exclude { get; set; }

    public IEnumerable<OptionsError> Validate() =>
        (Include?.Validate("include") ?? []).Concat(Exclude?.Validate("exclude") ?? []);
}
