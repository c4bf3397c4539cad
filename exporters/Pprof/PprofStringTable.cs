namespace Collector.Exporters.Pprof;

/// <summary>pprof's string table: every string once, index 0 the empty string, as the format requires.</summary>
internal sealed class PprofStringTable
{
    private readonly Dictionary<string, long> _indices = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly List<string> _strings = [""];

    public IReadOnlyList<string> Strings => _strings;

    public long Intern(string value)
    {
        if (_indices.TryGetValue(value, out var index)) return index;
        index = _strings.Count;
        _strings.Add(value);
        _indices.Add(value, index);
        return index;
    }
}
