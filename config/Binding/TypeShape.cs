using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Collector.Config.Binding;

internal enum ShapeKind
{
    /// <summary>A type the binder cannot fill: a mistake in an options class, reported with the key's path.</summary>
    Unsupported,
    Scalar,
    Sequence,
    Map,
    Object,
}

/// <summary>
/// How the binder fills a property type: from a scalar, a sequence, or a mapping (a string-keyed dictionary or
/// a nested options object). Nullable&lt;T&gt; is the shape of T with <see cref="AcceptsNull"/> set.
/// </summary>
internal sealed record TypeShape(ShapeKind Kind, Type Type, Type ElementType, bool AcceptsNull)
{
    private static readonly Type[] SequenceInterfaces =
        [typeof(IList<>), typeof(IReadOnlyList<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>), typeof(IEnumerable<>)];

    private static readonly Type[] MapTypes = [typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>)];

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionNeeds.OptionsAssembliesKeptWhole)]
    public static TypeShape Of(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            var shape = Of(underlying);
            return shape with { Type = type, AcceptsNull = true };
        }
        if (ScalarConverter.IsSupported(type))
        {
            return new(ShapeKind.Scalar, type, type, false);
        }
        if (type.IsArray && type.GetArrayRank() == 1)
        {
            return new(ShapeKind.Sequence, type, type.GetElementType()!, false);
        }
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(List<>) || SequenceInterfaces.Contains(definition))
            {
                return new(ShapeKind.Sequence, type, arguments[0], false);
            }
            if (MapTypes.Contains(definition) && arguments[0] == typeof(string))
            {
                return new(ShapeKind.Map, type, arguments[1], false);
            }
        }
        if (type.IsClass && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return new(ShapeKind.Object, type, type, false);
        }
        return new(ShapeKind.Unsupported, type, type, false);
    }

    /// <summary>What a value of this shape looks like in YAML, for "expected ..., got ..." messages.</summary>
    public string Expectation => Kind switch
    {
        ShapeKind.Scalar => ScalarConverter.Expectation(ElementType),
        ShapeKind.Sequence => "a sequence",
        _ => "a mapping",
    };

    /// <summary>The value to assign once the items are bound: an array or a List&lt;T&gt;.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionNeeds.InstantiationsDeclaredByOptions)]
    public object CreateSequence(IReadOnlyList<object?> items)
    {
        if (Type.IsArray)
        {
            var array = Array.CreateInstance(ElementType, items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                array.SetValue(items[i], i);
            }
            return array;
        }
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(ElementType))!;
        foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }

    /// <summary>A Dictionary&lt;string, T&gt; with ordinal keys, as YAML keys are case-sensitive.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionNeeds.InstantiationsDeclaredByOptions)]
    public IDictionary CreateMap() =>
        (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), ElementType), StringComparer.Ordinal)!;
}
