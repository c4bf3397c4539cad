using System.Reflection.Metadata;
using System.Text;
using Collector.Core.Model;

namespace Collector.Processors.Symbolization.ReadyToRun;

/// <summary>
/// The precompiled code of one ReadyToRun image: code blocks sorted by start RVA, each with the method it belongs
/// to (a block no entry point names, a funclet or a cold part, belongs to the method before it). Names are built
/// on first use and kept, as <c>Namespace.Type.Method</c> with nested types joined by <c>+</c>.
/// </summary>
internal sealed class ReadyToRunMethods
{
    private readonly uint[] _starts;
    private readonly uint[] _ends;
    private readonly string?[] _names;
    private readonly Function?[] _functions;

    public ReadyToRunMethods(uint[] starts, uint[] ends, MethodDefinitionHandle[] methods, MetadataReader metadata)
    {
        _starts = starts;
        _ends = ends;
        _names = new string?[starts.Length];
        var typeNames = new Dictionary<TypeDefinitionHandle, string>();
        string? current = null;
        for (var i = 0; i < methods.Length; i++)
        {
            if (!methods[i].IsNil) current = MethodName(metadata, methods[i], typeNames);
            _names[i] = current;
            if (current is not null) Named++;
        }
        _functions = new Function?[starts.Length];
    }

    public int Count => _starts.Length;

    /// <summary>Code blocks that have a name.</summary>
    public int Named { get; }

    /// <summary>Each code block's start and name, for tests.</summary>
    internal IEnumerable<(uint Start, string? Name)> Blocks() => _starts.Select((start, i) => (start, _names[i]));

    public bool TryFind(uint rva, out Function function)
    {
        var index = Array.BinarySearch(_starts, rva);
        if (index < 0) index = ~index - 1;
        if (index < 0 || rva >= _ends[index] || _names[index] is not { } name)
        {
            function = null!;
            return false;
        }
        function = _functions[index] ??= new Function(name, name);
        return true;
    }

    private static string MethodName(MetadataReader metadata, MethodDefinitionHandle handle, Dictionary<TypeDefinitionHandle, string> typeNames)
    {
        var method = metadata.GetMethodDefinition(handle);
        var type = method.GetDeclaringType();
        if (!typeNames.TryGetValue(type, out var typeName))
        {
            typeName = TypeName(metadata, type);
            typeNames.Add(type, typeName);
        }
        return $"{typeName}.{metadata.GetString(method.Name)}";
    }

    private static string TypeName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var parts = new List<string>();
        var type = metadata.GetTypeDefinition(handle);
        while (true)
        {
            parts.Add(metadata.GetString(type.Name));
            var outer = type.GetDeclaringType();
            if (outer.IsNil || parts.Count > 32) break;
            type = metadata.GetTypeDefinition(outer);
        }
        var text = new StringBuilder();
        var ns = metadata.GetString(type.Namespace);
        if (ns.Length > 0) text.Append(ns).Append('.');
        for (var i = parts.Count - 1; i >= 0; i--) text.Append(parts[i]).Append(i > 0 ? "+" : "");
        return text.ToString();
    }
}
