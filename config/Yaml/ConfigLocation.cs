namespace Collector.Config.Yaml;

/// <summary>
/// Where a piece of configuration came from. <see cref="SourceIndex"/> is the position of the source in the
/// list given to the loader, so errors can be sorted in the order the user supplied the files.
/// </summary>
internal readonly record struct ConfigLocation(string Source, int SourceIndex, int Line)
{
    public override string ToString() => $"{Source}:{Line}";
}
