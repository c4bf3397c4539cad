using Collector.Core.Components;

namespace Collector.Processors.Resources;

/// <summary>Options of the <c>resource</c> processor: the Collector's <c>attributes</c> list, applied in order.</summary>
public sealed class ResourceOptions : IComponentOptions
{
    public List<AttributeAction> Attributes { get; set; } = [];

    public IEnumerable<OptionsError> Validate()
    {
        if (Attributes.Count == 0)
        {
            yield return OptionsError.Required("attributes");
        }
        for (var i = 0; i < Attributes.Count; i++)
        {
            foreach (var error in Attributes[i].Validate($"attributes::{i}"))
            {
                yield return error;
            }
        }
    }
}
