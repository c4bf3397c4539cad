namespace Collector.Config;

/// <summary>
/// The configuration is invalid. <see cref="Errors"/> holds one line per problem, each naming the config path
/// and the source line, e.g. <c>exporters::file: path is required (collector.yaml:12)</c>.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<string> errors)
        : base(errors.Count == 1 ? errors[0] : $"{errors.Count} configuration errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
