using System.Text;
using Collector.Core.Components;
using Collector.Core.Extensions;

namespace Collector.Extensions.FileStorage;

/// <summary>
/// Hands out one directory per client component below <c>directory</c>, for state that must survive restarts
/// (the persistent sending queue). The subdirectory is named after the component's kind and id, so two
/// exporters never share files and a renamed exporter starts afresh.
/// </summary>
public sealed class FileStorageExtension(ComponentCreateSettings settings, FileStorageOptions options) : IExtension, IStorageExtension
{
    private readonly string _root = Path.GetFullPath(options.Directory);

    public ComponentId Id => settings.Id;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        if (options.CreateDirectory) Directory.CreateDirectory(_root);
        else if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"file_storage directory {_root} does not exist (create it, or set create_directory: true)");
        }
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The directory for one component, e.g. <c>exporter_otlp_grpc_backend</c>; created if missing.</summary>
    public string DirectoryFor(ComponentKind kind, ComponentId component)
    {
        var path = Path.Combine(_root, $"{kind.Noun()}_{Sanitize(component.Type)}" + (component.Name.Length > 0 ? "_" + Sanitize(component.Name) : ""));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Names may hold any non-space, non-symbol character; other than ASCII letters, digits, '_', '-' and '.'
    /// each becomes <c>~</c> and its code in hex, so names stay portable, free of separators, and distinct.
    /// </summary>
    private static string Sanitize(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') name.Append(c);
            else name.Append('~').Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return name.ToString();
    }
}
