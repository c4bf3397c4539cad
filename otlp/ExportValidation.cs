using System.Runtime.CompilerServices;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf.Collections;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;

namespace Collector.Otlp;

/// <summary>
/// One run of <see cref="ExportValidator"/>. Walks the export from its samples, profiles, resources and scopes
/// (the roots), then through the dictionary in reference order (stacks → locations → mappings and functions →
/// attributes → strings), so an entry reachable only from an unreferenced entry counts as unreferenced too.
/// Index checks cover every entry, referenced or not. An empty table acts as holding its zero value, as the
/// decoder treats it; the missing zero value is reported once.
/// <para>Receivers run this on every request, so a valid export costs no message text: paths are spelled out only
/// when a problem is found (<see cref="OutOfRangePath"/>, <see cref="Owner"/>), and nothing is allocated per sample.</para>
/// </summary>
internal sealed class ExportValidation
{
    /// <summary>Attribute lists up to this length are checked for repeated keys without a set.</summary>
    private const int ShortAttributeList = 8;

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
        CheckAttributeIndices(profile.AttributeIndices, new Owner(path), mark: true);
        for (var i = 0; i < profile.Samples.Count; i++)
        {
            var sample = profile.Samples[i];
            Reference(sample.StackIndex, DictionaryTable.Stack, _stacks, mark: true, $"{path}.samples[{i}].stackIndex");
            Reference(sample.LinkIndex, DictionaryTable.Link, _links, mark: true, $"{path}.samples[{i}].linkIndex");
            CheckAttributeIndices(sample.AttributeIndices, new Owner(path, ".samples", i), mark: true);
        }
    }

    private void CheckValueType(Wire.ValueType valueType, string path)
    {
        Reference(valueType.TypeStrindex, DictionaryTable.String, _strings, mark: true, $"{path}.typeStrindex");
        Reference(valueType.UnitStrindex, DictionaryTable.String, _strings, mark: true, $"{path}.unitStrindex");
    }

    private void CheckStacks()
    {
        for (var i = 0; i < _dictionary.StackTable.Count; i++)
        {
            var indices = _dictionary.StackTable[i].LocationIndices;
            for (var j = 0; j < indices.Count; j++)
            {
                Reference(indices[j], DictionaryTable.Location, _locations, _stacks[i], $"dictionary.stackTable[{i}].locationIndices[{j}]");
            }
        }
    }

    private void CheckLocations()
    {
        for (var i = 0; i < _dictionary.LocationTable.Count; i++)
        {
            var location = _dictionary.LocationTable[i];
            Reference(location.MappingIndex, DictionaryTable.Mapping, _mappings, _locations[i], $"dictionary.locationTable[{i}].mappingIndex");
            for (var j = 0; j < location.Lines.Count; j++)
            {
                Reference(location.Lines[j].FunctionIndex, DictionaryTable.Function, _functions, _locations[i], $"dictionary.locationTable[{i}].lines[{j}].functionIndex");
            }
            CheckAttributeIndices(location.AttributeIndices, new Owner("dictionary", ".locationTable", i), _locations[i]);
        }
    }

    private void CheckMappings()
    {
        for (var i = 0; i < _dictionary.MappingTable.Count; i++)
        {
            var mapping = _dictionary.MappingTable[i];
            Reference(mapping.FilenameStrindex, DictionaryTable.String, _strings, _mappings[i], $"dictionary.mappingTable[{i}].filenameStrindex");
            CheckAttributeIndices(mapping.AttributeIndices, new Owner("dictionary", ".mappingTable", i), _mappings[i]);
        }
    }

    private void CheckFunctions()
    {
        for (var i = 0; i < _dictionary.FunctionTable.Count; i++)
        {
            var function = _dictionary.FunctionTable[i];
            Reference(function.NameStrindex, DictionaryTable.String, _strings, _functions[i], $"dictionary.functionTable[{i}].nameStrindex");
            Reference(function.SystemNameStrindex, DictionaryTable.String, _strings, _functions[i], $"dictionary.functionTable[{i}].systemNameStrindex");
            Reference(function.FilenameStrindex, DictionaryTable.String, _strings, _functions[i], $"dictionary.functionTable[{i}].filenameStrindex");
        }
    }

    private void CheckAttributeTable()
    {
        for (var i = 0; i < _dictionary.AttributeTable.Count; i++)
        {
            var attribute = _dictionary.AttributeTable[i];
            Reference(attribute.KeyStrindex, DictionaryTable.String, _strings, _attributes[i], $"dictionary.attributeTable[{i}].keyStrindex");
            if (attribute.Value is { } value && RefersToStrings(value)) CheckAnyValue(value, $"dictionary.attributeTable[{i}].value", _attributes[i]);
            Reference(attribute.UnitStrindex, DictionaryTable.String, _strings, _attributes[i], $"dictionary.attributeTable[{i}].unitStrindex");
        }
    }

    /// <summary>Range, reachability, and OTLP's rule that one attribute list never repeats a key.</summary>
    private void CheckAttributeIndices(RepeatedField<int> indices, Owner owner, bool mark)
    {
        // Lists are short (a thread id, a frame type): comparing with the earlier keys beats allocating a set per
        // sample. Long lists get the set, so a hostile list of thousands of indices costs no quadratic time.
        HashSet<string>? keys = indices.Count > ShortAttributeList ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < indices.Count; i++)
        {
            var index = indices[i];
            if (!Reference(index, DictionaryTable.Attribute, _attributes, mark, $"{owner}.attributeIndices[{i}]")) continue;
            if (!TryKey(index, out var key)) continue;
            if (keys is null ? RepeatsEarlierKey(indices, i, key) : !keys.Add(key))
            {
                _problems.Add($"{owner}.attributeIndices[{i}]: key \"{key}\" already appears earlier in the list");
            }
        }
    }

    /// <summary>Whether an entry before <paramref name="position"/> that names a key names <paramref name="key"/>.</summary>
    private bool RepeatsEarlierKey(RepeatedField<int> indices, int position, string key)
    {
        for (var j = 0; j < position; j++)
        {
            var earlier = indices[j];
            if ((uint)earlier < (uint)_attributes.Length && TryKey(earlier, out var earlierKey) && string.Equals(earlierKey, key, StringComparison.Ordinal)) return true;
        }
        return false;
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
            if (keyValue.Key.Length > 0 && keyValue.KeyStrindex != 0) _problems.Add($"{path}[{i}]: both key and keyStrindex are set");
            if (keyValue.Value is { } value && RefersToStrings(value)) CheckAnyValue(value, $"{path}[{i}].value", mark);
            Reference(keyValue.KeyStrindex, DictionaryTable.String, _strings, mark, $"{path}[{i}].keyStrindex");
        }
    }

    private void CheckAnyValue(WireCommon.AnyValue value, string path, bool mark)
    {
        switch (value.ValueCase)
        {
            case WireCommon.AnyValue.ValueOneofCase.StringValueStrindex:
                Reference(value.StringValueStrindex, DictionaryTable.String, _strings, mark, $"{path}.stringValueStrindex");
                break;
            case WireCommon.AnyValue.ValueOneofCase.ArrayValue:
                for (var i = 0; i < value.ArrayValue.Values.Count; i++) CheckAnyValue(value.ArrayValue.Values[i], $"{path}.arrayValue.values[{i}]", mark);
                break;
            case WireCommon.AnyValue.ValueOneofCase.KvlistValue:
                CheckKeyValues(value.KvlistValue.Values, path + ".kvlistValue.values", mark);
                break;
        }
    }

    /// <summary>Only these values hold indices (or values that may), so only these need a path to report against.</summary>
    private static bool RefersToStrings(WireCommon.AnyValue value) => value.ValueCase is
        WireCommon.AnyValue.ValueOneofCase.StringValueStrindex or
        WireCommon.AnyValue.ValueOneofCase.ArrayValue or
        WireCommon.AnyValue.ValueOneofCase.KvlistValue;

    /// <summary>
    /// Reports an index out of range, naming <paramref name="path"/> (formatted only then); otherwise marks the entry
    /// reached when its referrer is. True when in range.
    /// </summary>
    private bool Reference(int index, DictionaryTable table, bool[] reached, bool mark,
        [InterpolatedStringHandlerArgument(nameof(index), nameof(reached))] OutOfRangePath path)
    {
        if ((uint)index >= (uint)reached.Length)
        {
            _problems.Add(DictionaryTables.OutOfRange(path.ToStringAndClear(), index, table, _dictionary.Count(table)));
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

    /// <summary>
    /// What holds an attribute index list: <see cref="Prefix"/>, or <c>{Prefix}{Segment}[{Index}]</c> when it is an
    /// element of a list (a sample, a dictionary entry). Spelled out only for a message.
    /// </summary>
    private readonly record struct Owner(string Prefix, string? Segment = null, int Index = 0)
    {
        public override string ToString() => Segment is null ? Prefix : $"{Prefix}{Segment}[{Index}]";
    }
}
