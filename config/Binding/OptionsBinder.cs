using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Collector.Config.Errors;
using Collector.Config.Yaml;

namespace Collector.Config.Binding;

/// <summary>
/// Binds a config mapping onto an options object by reflection (it runs once, at startup). Keys the object
/// does not have and values of the wrong shape or type become path-qualified errors; binding carries on past
/// them so one pass reports every problem. What the YAML leaves out keeps the object's default.
/// <list type="bullet">
/// <item>A null value (<c>key:</c>, <c>key: ~</c>) means "the default": scalars, sequences and maps keep it;
/// a nested object is created if it was null, which is how <c>rotation:</c> switches rotation on.</item>
/// <item>Nested objects are bound in place, so their own defaults survive; sequences and maps are replaced
/// wholesale, as the Collector replaces lists.</item>
/// </list>
/// </summary>
internal sealed class OptionsBinder(ConfigErrors errors)
{
    /// <summary>Returns false when anything could not be bound; the errors are then already reported.</summary>
    public bool BindObject(object target, MappingNode node, string path)
    {
        var properties = BindableProperties.Of(target.GetType());
        var ok = true;
        foreach (var entry in node.Entries)
        {
            if (!properties.TryGetValue(entry.Key, out var property))
            {
                errors.Add(path, $"unknown key \"{entry.Key}\"", entry.KeyLocation);
                ok = false;
                continue;
            }
            ok &= BindProperty(target, property, entry, ConfigPath.Combine(path, entry.Key));
        }
        return ok;
    }

    private bool BindProperty(object target, PropertyInfo property, MappingEntry entry, string path)
    {
        var current = property.GetValue(target);
        var bound = Bind(TypeShape.Of(property.PropertyType), entry.Value, entry.KeyLocation, path, current);
        if (bound.Failed)
        {
            return false;
        }
        if (!bound.Changed)
        {
            return true;
        }
        try
        {
            property.SetValue(target, bound.Value);
            return true;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // A setter that checks its value: report its words, at the key it concerns.
            errors.Add(path, e.InnerException.Message, entry.KeyLocation);
            return false;
        }
    }

    private Bound Bind(TypeShape shape, ConfigNode node, ConfigLocation at, string path, object? current)
    {
        if (node is ScalarNode { AlreadyReported: true })
        {
            return Bound.Failure;
        }
        if (node is ScalarNode { IsNull: true })
        {
            return shape.Kind == ShapeKind.Object ? Bound.To(current ?? Create(shape.Type)) : Bound.Unchanged;
        }
        switch (shape.Kind, node)
        {
            case (ShapeKind.Scalar, ScalarNode scalar):
                if (ScalarConverter.TryConvert(shape.ElementType, scalar.Value, out var value, out var problem))
                {
                    return Bound.To(value);
                }
                errors.Add(path, problem!, at);
                return Bound.Failure;
            case (ShapeKind.Sequence, SequenceNode sequence):
                return BindSequence(shape, sequence, path);
            case (ShapeKind.Map, MappingNode mapping):
                return BindMap(shape, mapping, path);
            case (ShapeKind.Object, MappingNode mapping):
                var target = current ?? Create(shape.Type);
                return BindObject(target, mapping, path) ? Bound.To(target) : Bound.Failure;
            case (ShapeKind.Unsupported, _):
                errors.Add(path, $"the option type {shape.Type.Name} cannot be bound from YAML (a bug in the component's options)", at);
                return Bound.Failure;
            default:
                errors.Add(path, $"expected {shape.Expectation}, got {node.Describe()}", at);
                return Bound.Failure;
        }
    }

    private Bound BindSequence(TypeShape shape, SequenceNode sequence, string path)
    {
        var itemShape = TypeShape.Of(shape.ElementType);
        var items = new List<object?>(sequence.Items.Count);
        var ok = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var bound = BindElement(itemShape, item, item.Location, ConfigPath.Combine(path, i));
            ok &= !bound.Failed;
            items.Add(bound.Value);
        }
        return ok ? Bound.To(shape.CreateSequence(items)) : Bound.Failure;
    }

    private Bound BindMap(TypeShape shape, MappingNode mapping, string path)
    {
        var valueShape = TypeShape.Of(shape.ElementType);
        var map = shape.CreateMap();
        var ok = true;
        foreach (var entry in mapping.Entries)
        {
            var bound = BindElement(valueShape, entry.Value, entry.KeyLocation, ConfigPath.Combine(path, entry.Key));
            if (bound.Failed)
            {
                // A failed value is null, which a Dictionary<string, int> would refuse; the map is dropped anyway.
                ok = false;
                continue;
            }
            map[entry.Key] = bound.Value;
        }
        return ok ? Bound.To(map) : Bound.Failure;
    }

    /// <summary>
    /// A sequence item or map value has no default to fall back on, so null is only accepted where the type
    /// can hold it (Nullable&lt;T&gt;) or means "an object with its defaults".
    /// </summary>
    private Bound BindElement(TypeShape shape, ConfigNode node, ConfigLocation at, string path)
    {
        var bound = Bind(shape, node, at, path, current: null);
        if (bound.Changed || bound.Failed || shape.AcceptsNull)
        {
            return bound;
        }
        errors.Add(path, $"expected {shape.Expectation}, got null", at);
        return Bound.Failure;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = ReflectionNeeds.OptionsAssembliesKeptWhole)]
    private static object Create(Type type) => Activator.CreateInstance(type)!;

    /// <summary>The outcome of binding one value: failed (already reported), left as it was, or a new value.</summary>
    private readonly record struct Bound(bool Failed, bool Changed, object? Value)
    {
        public static Bound Failure => new(true, false, null);

        public static Bound Unchanged => new(false, false, null);

        public static Bound To(object? value) => new(false, true, value);
    }
}
