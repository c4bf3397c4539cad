using System.Collections;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Collector.Otlp.Tests;

/// <summary>Checks, from the protobuf descriptors, that the corpus really sets every field to a non-default value.</summary>
public class CorpusCoverageTests
{
    [Fact]
    public void Corpus_sets_every_field_of_every_reachable_message()
    {
        var seen = new HashSet<(string Message, int Field)>();
        Collect(OtlpCorpus.Request(), seen);

        var missing = ReachableMessages(ExportProfilesServiceRequest.Descriptor)
            .SelectMany(m => m.Fields.InFieldNumberOrder().Select(f => (Message: m.FullName, Field: f.FieldNumber, f.Name)))
            .Where(f => !seen.Contains((f.Message, f.Field)))
            .Select(f => $"{f.Message}.{f.Name}")
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_walk_reaches_every_otlp_profiles_message()
    {
        var names = ReachableMessages(ExportProfilesServiceRequest.Descriptor).Select(m => m.Name).ToHashSet();

        // Guards the walk itself: if it stopped early, the coverage test above would pass vacuously.
        Assert.Superset(
            new HashSet<string> { "ExportProfilesServiceRequest", "ResourceProfiles", "Resource", "EntityRef", "KeyValue", "AnyValue", "ArrayValue", "KeyValueList",
                "ScopeProfiles", "InstrumentationScope", "Profile", "ValueType", "Sample", "ProfilesDictionary", "Mapping", "Location", "Line", "Function",
                "Link", "KeyValueAndUnit", "Stack" },
            names);
        Assert.Equal(21, names.Count);
    }

    public static IReadOnlyList<MessageDescriptor> ReachableMessages(MessageDescriptor root)
    {
        var found = new List<MessageDescriptor> { root };
        for (var i = 0; i < found.Count; i++)
        {
            foreach (var field in found[i].Fields.InFieldNumberOrder())
            {
                if (field.FieldType == FieldType.Message && !found.Contains(field.MessageType)) found.Add(field.MessageType);
            }
        }
        return found;
    }

    private static void Collect(IMessage message, HashSet<(string, int)> seen)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count > 0) seen.Add((message.Descriptor.FullName, field.FieldNumber));
                foreach (var item in list)
                {
                    if (item is IMessage child) Collect(child, seen);
                }
            }
            else if (value is IMessage child)
            {
                seen.Add((message.Descriptor.FullName, field.FieldNumber));
                Collect(child, seen);
            }
            else if (IsNonDefault(value))
            {
                seen.Add((message.Descriptor.FullName, field.FieldNumber));
            }
        }
    }

    private static bool IsNonDefault(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        ByteString bytes => !bytes.IsEmpty,
        bool flag => flag,
        int number => number != 0,
        uint number => number != 0,
        long number => number != 0,
        ulong number => number != 0,
        double number => BitConverter.DoubleToInt64Bits(number) != 0,
        _ => throw new InvalidOperationException($"unexpected field type {value.GetType()}"),
    };
}
