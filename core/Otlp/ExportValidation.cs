using Collector.Core.Otlp.Proto.Collector;
using Google.Protobuf.Collections;
using Wire = Collector.Core.Otlp.Proto.Profiles;
using WireCommon = Collector.Core.Otlp.Proto.Common;

namespace Collector.Core.Otlp;

/// <summary>
/// One run of <see cref="ExportValidator"/>. Walks the export from its samples, profiles, resources and scopes
/// (the roots), then through the dictionary in reference order (stacks → locations → mappings and functions →
/// attributes → strings), so an entry reachable only from an unreferenced entry counts as unreferenced too.
/// Index checks cover every entry, referenced or not. An empty table acts as holding its zero value, as the
/// decoder treats it; the missing zero value is reported once.
/// </summary>
internal sealed class ExportValidation
{
    private readonly ExportProfilesServiceRequest _request;
    private readonly Wire.ProfilesDictionary _dictionary;
    private readonly List<string> _problems = [];
    private readonly bool[] _mappings;
    private readonly bool[] _locations;
    private readonly bool[] _functions;
    private readonly bool[] _links;
    private readonly bool[] _strings;
    private readonly bool[] _attributes;
    private readonly bool[] _stacks;

    public ExportValidation(ExportProfilesServiceRequest request)
    {
        _request = request;
        _dictionary = request.Dictionary ?? new Wire.ProfilesDictionary();
        _mappings = Reached(_dictionary.MappingTable.Count);
        _locations = Reached(_dictionary.LocationTable.Count);
        _functions = Reached(_dictionary.FunctionTable.Count);
        _links = Reached(_dictionary.LinkTable.Count);
        _strings = Reached(_dictionary.StringTable.Count);
        _attributes = Reached(_dictionary.AttributeTable.Count);
        _stacks = Reached(_dictionary.StackTable.Count);
    }

    /// <param name="recommendations">Also report what OTLP only discourages: duplicate and unreferenced dictionary entries.</param>
    public IReadOnlyList<string> Run(bool recommendations)
    {
        CheckZeroValues();
        for (var i = 0; i < _request.ResourceProfiles.Count; i++) CheckResourceProfiles(_request.ResourceProfiles[i], $"resourceProfiles[{i}]");
        CheckStacks();
        CheckLocations();
        CheckMappings();
        CheckFunctions();
        CheckAttributeTable();
        if (!recommendations) return _problems;
        ReportDuplicates(_dictionary.MappingTable, DictionaryTable.Mapping);
        ReportDuplicates(_dictionary.LocationTable, DictionaryTable.Location);
        ReportDuplicates(_dictionary.FunctionTable, DictionaryTable.Function);
        ReportDuplicates(_dictionary.LinkTable, DictionaryTable.Link);
        ReportDuplicates(_dictionary.StringTable, DictionaryTable.String);
        ReportDuplicates(_dictionary.AttributeTable, DictionaryTable.Attribute);
        ReportDuplicates(_dictionary.StackTable, DictionaryTable.Stack);
        ReportOrphans(_mappings, _dictionary.MappingTable.Count, DictionaryTable.Mapping);
        ReportOrphans(_locations, _dictionary.LocationTable.Count, DictionaryTable.Location);
        ReportOrphans(_functions, _dictionary.FunctionTable.Count, DictionaryTable.Function);
        ReportOrphans(_links, _dictionary.LinkTable.Count, DictionaryTable.Link);
        ReportOrphans(_strings, _dictionary.StringTable.Count, DictionaryTable.String);
        ReportOrphans(_attributes, _dictionary.AttributeTable.Count, DictionaryTable.Attribute);
        ReportOrphans(_stacks, _dictionary.StackTable.Count, DictionaryTable.Stack);
        return _problems;
    }

    private void CheckZeroValues()
    {
        if (_request.Dictionary is null)
        {
            _problems.Add("dictionary: missing; index 0 of every table must hold the zero value");
            return;
        }
        CheckZero(_dictionary.MappingTable, DictionaryTable.Mapping, m => m.Equals(new Wire.Mapping()));
        CheckZero(_dictionary.LocationTable, DictionaryTable.Location, l => l.Equals(new Wire.Location()));
        CheckZero(_dictionary.FunctionTable, DictionaryTable.Function, f => f.Equals(new Wire.Function()));
        CheckZero(_dictionary.LinkTable, DictionaryTable.Link, ZeroValues.IsZero);
        CheckZero(_dictionary.StringTable, DictionaryTable.String, s => s.Length == 0);
        CheckZero(_dictionary.AttributeTable, DictionaryTable.Attribute, a => a.Equals(new Wire.KeyValueAndUnit()));
        CheckZero(_dictionary.StackTable, DictionaryTable.Stack, s => s.Equals(new Wire.Stack()));
    }

    private void CheckZero<T>(RepeatedField<T> table, DictionaryTable name, Func<T, bool> isZero)
    {
        if (table.Count == 0) _problems.Add($"dictionary.{DictionaryTables.Name(name)}: empty; index 0 must hold the zero value");
        else if (!isZero(table[0])) _problems.Add($"dictionary.{DictionaryTables.Name(name)}[0]: not the zero value");
    }

    private void CheckResourceProfiles(Wire.ResourceProfiles resourceProfiles, string path)
    {
        if (resourceProfiles.Resource is { } resource) CheckKeyValues(resource.Attributes, path + ".resource.attributes", mark: true);
        for (var i = 0; i < resourceProfiles.ScopeProfiles.Count; i++)
        {
            var scopeProfiles = resourceProfiles.ScopeProfiles[i];
            var scopePath = $"{path}.scopeProfiles[{i}]";
            if (scopeProfiles.Scope is { } scope) CheckKeyValues(scope.Attributes, scopePath + ".scope.attributes", mark: true);
            for (var j = 0; j < scopeProfiles.Profiles.Count; j++) CheckProfile(scopeProfiles.Profiles[j], $"{scopePath}.profiles[{j}]");
        }
    }

    private void CheckProfile(Wire.Profile profile, string path)
    {
        if (profile.SampleType is { } sampleType) CheckValueType(sampleType, path + ".sampleType");
        if (profile.PeriodType is { } periodType) CheckValueType(periodType, path + ".periodType");
        CheckAttributeIndices(profile.AttributeIndices, path, mark: true);
        for (var i = 0; i < profile.Samples.Count; i++)
        {
            var sample = profile.Samples[i];
            var samplePath = $"{path}.samples[{i}]";
            Reference(sample.StackIndex, samplePath + ".stackIndex", DictionaryTable.Stack, _stacks, mark: true);
            Reference(sample.LinkIndex, samplePath + ".linkIndex", DictionaryTable.Link, _links, mark: true);
            CheckAttributeIndices(sample.AttributeIndices, samplePath, mark: true);
        }
    }

    private void CheckValueType(Wire.ValueType valueType, string path)
    {
        Reference(valueType.TypeStrindex, path + ".typeStrindex", DictionaryTable.String, _strings, mark: true);
        Reference(valueType.UnitStrindex, path + ".unitStrindex", DictionaryTable.String, _strings, mark: true);
    }

    private void CheckStacks()
    {
        for (var i = 0; i < _dictionary.StackTable.Count; i++)
        {
            var indices = _dictionary.StackTable[i].LocationIndices;
            for (var j = 0; j < indices.Count; j++)
            {
                Reference(indices[j], $"dictionary.stackTable[{i}].locationIndices[{j}]", DictionaryTable.Location, _locations, _stacks[i]);
            }
        }
    }

    private void CheckLocations()
    {
        for (var i = 0; i < _dictionary.LocationTable.Count; i++)
        {
            var location = _dictionary.LocationTable[i];
            var path = $"dictionary.locationTable[{i}]";
            Reference(location.MappingIndex, path + ".mappingIndex", DictionaryTable.Mapping, _mappings, _locations[i]);
            for (var j = 0; j < location.Lines.Count; j++)
            {
                Reference(location.Lines[j].FunctionIndex, $"{path}.lines[{j}].functionIndex", DictionaryTable.Function, _functions, _locations[i]);
            }
            CheckAttributeIndices(location.AttributeIndices, path, _locations[i]);
        }
    }

    private void CheckMappings()
    {
        for (var i = 0; i < _dictionary.MappingTable.Count; i++)
        {
            var mapping = _dictionary.MappingTable[i];
            var path = $"dictionary.mappingTable[{i}]";
            Reference(mapping.FilenameStrindex, path + ".filenameStrindex", DictionaryTable.String, _strings, _mappings[i]);
            CheckAttributeIndices(mapping.AttributeIndices, path, _mappings[i]);
        }
    }

    private void CheckFunctions()
    {
        for (var i = 0; i < _dictionary.FunctionTable.Count; i++)
        {
            var function = _dictionary.FunctionTable[i];
            var path = $"dictionary.functionTable[{i}]";
            Reference(function.NameStrindex, path + ".nameStrindex", DictionaryTable.String, _strings, _functions[i]);
            Reference(function.SystemNameStrindex, path + ".systemNameStrindex", DictionaryTable.String, _strings, _functions[i]);
            Reference(function.FilenameStrindex, path + ".filenameStrindex", DictionaryTable.String, _strings, _functions[i]);
        }
    }

    private void CheckAttributeTable()
    {
        for (var i = 0; i < _dictionary.AttributeTable.Count; i++)
        {
            var attribute = _dictionary.AttributeTable[i];
            var path = $"dictionary.attributeTable[{i}]";
            Reference(attribute.KeyStrindex, path + ".keyStrindex", DictionaryTable.String, _strings, _attributes[i]);
            if (attribute.Value is { } value) CheckAnyValue(value, path + ".value", _attributes[i]);
            Reference(attribute.UnitStrindex, path + ".unitStrindex", DictionaryTable.String, _strings, _attributes[i]);
        }
    }

    /// <summary>Range, reachability, and OTLP's rule that one attribute list never repeats a key.</summary>
    private void CheckAttributeIndices(RepeatedField<int> indices, string ownerPath, bool mark)
    {
        HashSet<string>? keys = null;
        for (var i = 0; i < indices.Count; i++)
        {
            var index = indices[i];
            if (!Reference(index, $"{ownerPath}.attributeIndices[{i}]", DictionaryTable.Attribute, _attributes, mark)) continue;
            if (!TryKey(index, out var key)) continue;
            keys ??= new HashSet<string>(StringComparer.Ordinal);
            if (!keys.Add(key)) _problems.Add($"{ownerPath}.attributeIndices[{i}]: key \"{key}\" already appears earlier in the list");
        }
    }

    private bool TryKey(int attributeIndex, out string key)
    {
        key = "";
        if (_dictionary.AttributeTable.Count == 0) return true;
        var keyIndex = _dictionary.AttributeTable[attributeIndex].KeyStrindex;
        if (_dictionary.StringTable.Count == 0) return keyIndex == 0;
        if ((uint)keyIndex >= (uint)_dictionary.StringTable.Count) return false;
        key = _dictionary.StringTable[keyIndex];
        return true;
    }

    private void CheckKeyValues(RepeatedField<WireCommon.KeyValue> keyValues, string path, bool mark)
    {
        for (var i = 0; i < keyValues.Count; i++)
        {
            var keyValue = keyValues[i];
            var itemPath = $"{path}[{i}]";
            if (keyValue.Key.Length > 0 && keyValue.KeyStrindex != 0) _problems.Add($"{itemPath}: both key and keyStrindex are set");
            if (keyValue.Value is { } value) CheckAnyValue(value, itemPath + ".value", mark);
            Reference(keyValue.KeyStrindex, itemPath + ".keyStrindex", DictionaryTable.String, _strings, mark);
        }
    }

    private void CheckAnyValue(WireCommon.AnyValue value, string path, bool mark)
    {
        switch (value.ValueCase)
        {
            case WireCommon.AnyValue.ValueOneofCase.StringValueStrindex:
                Reference(value.StringValueStrindex, path + ".stringValueStrindex", DictionaryTable.String, _strings, mark);
                break;
            case WireCommon.AnyValue.ValueOneofCase.ArrayValue:
                for (var i = 0; i < value.ArrayValue.Values.Count; i++) CheckAnyValue(value.ArrayValue.Values[i], $"{path}.arrayValue.values[{i}]", mark);
                break;
            case WireCommon.AnyValue.ValueOneofCase.KvlistValue:
                CheckKeyValues(value.KvlistValue.Values, path + ".kvlistValue.values", mark);
                break;
        }
    }

    /// <summary>Reports an index out of range; otherwise marks the entry reached when its referrer is. True when in range.</summary>
    private bool Reference(int index, string path, DictionaryTable table, bool[] reached, bool mark)
    {
        if ((uint)index >= (uint)reached.Length)
        {
            _problems.Add(DictionaryTables.OutOfRange(path, index, table, _dictionary.Count(table)));
            return false;
        }
        if (mark) reached[index] = true;
        return true;
    }

    private void ReportDuplicates<T>(RepeatedField<T> table, DictionaryTable name)
        where T : notnull
    {
        var first = new Dictionary<T, int>(table.Count);
        for (var i = 0; i < table.Count; i++)
        {
            if (first.TryGetValue(table[i], out var earlier))
            {
                _problems.Add($"dictionary.{DictionaryTables.Name(name)}[{i}]: duplicate of {DictionaryTables.Name(name)}[{earlier}]");
            }
            else
            {
                first.Add(table[i], i);
            }
        }
    }

    private void ReportOrphans(bool[] reached, int count, DictionaryTable table)
    {
        for (var i = 1; i < count; i++)
        {
            if (!reached[i]) _problems.Add($"dictionary.{DictionaryTables.Name(table)}[{i}]: not referenced");
        }
    }

    /// <summary>An empty table still has its implicit zero value to refer to.</summary>
    private static bool[] Reached(int count) => new bool[Math.Max(count, 1)];
}
