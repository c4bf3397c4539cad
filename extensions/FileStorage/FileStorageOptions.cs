using Collector.Core.Components;

namespace Collector.Extensions.FileStorage;

/// <summary>Options of the <c>file_storage</c> extension (a subset of the contrib one: where, and whether to create it).</summary>
public sealed class FileStorageOptions : IComponentOptions
{
    /// <summary>The directory components keep their files in, each in a subdirectory of its own. Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Create <see cref="Directory"/> when it is missing; off by default as in contrib, so a typo is reported.</summary>
    public bool CreateDirectory { get; set; }

    public IEnumerable<OptionsError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) yield return OptionsError.Required("directory");
    }
}
