using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Collector.Core.Components;

namespace Collector.Config.Binding;

/// <summary>
/// The YAML keys an options type accepts: each public instance property with a public setter (init counts),
/// under its <see cref="ConfigKeyAttribute"/> key or the snake_case of its name.
/// </summary>
internal static class BindableProperties
{
    /// <exception cref="InvalidOperationException">Two properties claim one key: a mistake in the options class.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionNeeds.OptionsAssembliesKeptWhole)]
    public static IReadOnlyDictionary<string, PropertyInfo> Of(Type type)
    {
        var byKey = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetSetMethod() is null || property.GetGetMethod() is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            var key = KeyOf(property);
            if (!byKey.TryAdd(key, property))
            {
                throw new InvalidOperationException(
                    $"{type.Name}.{byKey[key].Name} and {type.Name}.{property.Name} both bind to the key \"{key}\"");
            }
        }
        return byKey;
    }

    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? SnakeCase.From(property.Name);
}
