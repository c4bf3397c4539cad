using Collector.Core.Components;

namespace Collector.Extensions.FileStorage;

public sealed class FileStorageExtensionFactory : ExtensionFactory<FileStorageOptions>
{
    public override string Type => "file_storage";

    public override string Description => "A directory on disk where components keep state across restarts (the exporters' persistent sending queue).";

    protected override IExtension Create(ComponentCreateSettings settings, FileStorageOptions options) => new FileStorageExtension(settings, options);
}
