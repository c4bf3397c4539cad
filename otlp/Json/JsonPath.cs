using System.Text;

namespace Collector.Otlp.Json;

/// <summary>
/// Where the reader is in the document, e.g. <c>resourceProfiles[0].resource.attributes[2].value.intValue</c>;
/// only spelled out when an error is reported.
/// </summary>
internal sealed class JsonPath
{
    private readonly List<(string? Name, int Index)> _segments = [];

    public void Push(string name) => _segments.Add((name, -1));

    public void Push(int index) => _segments.Add((null, index));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public OtlpFormatException Error(string problem) => new($"{this}: {problem}");

    public override string ToString()
    {
        if (_segments.Count == 0) return "(root)";
        var text = new StringBuilder();
        foreach (var (name, index) in _segments)
        {
            if (name is null) text.Append('[').Append(index).Append(']');
            else (text.Length > 0 ? text.Append('.') : text).Append(name);
        }
        return text.ToString();
    }
}
