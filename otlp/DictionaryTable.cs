using Wire = Collector.Otlp.Proto.Profiles;

namespace Collector.Otlp;

/// <summary>The seven tables of a <c>ProfilesDictionary</c>, named as in OTLP/JSON for error messages.</summary>
internal enum DictionaryTable
{
    Mapping,
    Location,
    Function,
    Link,
    String,
    Attribute,
    Stack,
}

internal static class DictionaryTables
{
    public static string Name(DictionaryTable table) => table switch
    {
        DictionaryTable.Mapping => "mappingTable",
        DictionaryTable.Location => "locationTable",
        DictionaryTable.Function => "functionTable",
        DictionaryTable.Link => "linkTable",
        DictionaryTable.String => "stringTable",
        DictionaryTable.Attribute => "attributeTable",
        DictionaryTable.Stack => "stackTable",
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    /// <summary>The one wording of an out-of-range index, shared by the decoder and the validator.</summary>
    public static string OutOfRange(string path, int index, DictionaryTable table, int entries) =>
        $"{path}: {index} is out of range ({Name(table)} has {entries} entries)";

    /// <summary>Entries as sent, not counting the zero value an absent table implies.</summary>
    public static int Count(this Wire.ProfilesDictionary dictionary, DictionaryTable table) => table switch
    {
        DictionaryTable.Mapping => dictionary.MappingTable.Count,
        DictionaryTable.Location => dictionary.LocationTable.Count,
        DictionaryTable.Function => dictionary.FunctionTable.Count,
        DictionaryTable.Link => dictionary.LinkTable.Count,
        DictionaryTable.String => dictionary.StringTable.Count,
        DictionaryTable.Attribute => dictionary.AttributeTable.Count,
        DictionaryTable.Stack => dictionary.StackTable.Count,
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };
}
