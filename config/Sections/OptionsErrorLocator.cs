using System.Globalization;
using Collector.Config.Errors;
using Collector.Config.Yaml;

namespace Collector.Config.Sections;

/// <summary>
/// Finds the line an <see cref="Collector.Core.Components.OptionsError"/> belongs on: the line of its key when
/// the YAML has that key, else the nearest ancestor the YAML does have (a required key that is missing lands
/// on its parent), and the component's own line for an error about the component as a whole.
/// </summary>
internal static class OptionsErrorLocator
{
    public static ConfigLocation Find(MappingEntry component, string? key)
    {
        var location = component.KeyLocation;
        if (key is null)
        {
            return location;
        }
        var node = component.Value;
        foreach (var segment in key.Split(ConfigPath.Separator))
        {
            if (node is MappingNode mapping && mapping.Find(segment) is { } entry)
            {
                location = entry.KeyLocation;
                node = entry.Value;
            }
            else if (node is SequenceNode sequence
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < sequence.Items.Count)
            {
                node = sequence.Items[index];
                location = node.Location;
            }
            else
            {
                break;
            }
        }
        return location;
    }
}
