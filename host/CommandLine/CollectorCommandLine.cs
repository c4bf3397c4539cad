using System.CommandLine;
using System.Reflection;
using Collector.Config;
using Collector.Core.Components;
using Collector.Core.Pipeline;
using Collector.Host.Service;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Host.CommandLine;

/// <summary>
/// <c>collector [--config FILE]...</c> runs; <c>collector validate --config FILE</c> checks and exits 0 or 1;
/// <c>collector components</c> lists the registered types. Exit codes: 0 success, 1 invalid config or
/// failure to run, 2 bad command line.
/// </summary>
internal static class CollectorCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var registry = ComponentCatalog.Create();
        var root = Build(registry, output, error);
        // The Generic Host owns SIGINT/SIGTERM so it can drain the pipeline; System.CommandLine must not race it.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
    }

    private static RootCommand Build(ComponentRegistry registry, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Collector: an OpenTelemetry-Collector-style continuous profiler. Runs the pipelines of the given config (the embedded default without --config).");
        var config = ConfigOption();
        root.Options.Add(config);
        root.SetAction(parse => CollectorRunner.RunAsync(registry, Load(parse.GetValue(config)), error));

        var validate = new Command("validate", "Checks the configuration (and builds the pipelines without starting them); exits 0 when valid, 1 otherwise.");
        var validateConfig = ConfigOption();
        validate.Options.Add(validateConfig);
        validate.SetAction(parse => Validate(registry, Load(parse.GetValue(validateConfig)), output, error));
        root.Subcommands.Add(validate);

        var components = new Command("components", "Lists the component types this build offers.");
        components.SetAction(_ => ListComponents(registry, output));
        root.Subcommands.Add(components);
        return root;
    }

    private static Option<string[]> ConfigOption() => new("--config", "-c")
    {
        Description = "A YAML config file (or file:PATH). Repeat to merge several, later ones winning. Default: the embedded collector.yaml.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static Func<ComponentRegistry, LoadResult> Load(string[]? values) => registry =>
    {
        CollectorHome.EnsureSet();
        var loader = new ConfigLoader(registry);
        try
        {
            var service = loader.Load(ConfigSources.Resolve(values ?? []));
            return new LoadResult(service, loader.Warnings, []);
        }
        catch (ConfigException invalid)
        {
            return new LoadResult(null, loader.Warnings, invalid.Errors);
        }
    };

    private static int Validate(ComponentRegistry registry, Func<ComponentRegistry, LoadResult> load, TextWriter output, TextWriter error)
    {
        var result = load(registry);
        foreach (var warning in result.Warnings) error.WriteLine($"warning: {warning}");
        if (result.Service is null)
        {
            foreach (var line in result.Errors) error.WriteLine(line);
            return Failure;
        }
        try
        {
            // A dry run of building the pipelines, as the Collector's validate does: factories see the options.
            PipelineGraph.Build(result.Service, NullLoggerFactory.Instance);
        }
        catch (Exception failure) when (failure is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            error.WriteLine($"cannot build the pipelines: {failure.Message}");
            return Failure;
        }
        output.WriteLine($"configuration is valid: {result.Service.Pipelines.Count} pipeline(s), " +
            $"{result.Service.Receivers.Count} receiver(s), {result.Service.Processors.Count} processor(s), {result.Service.Exporters.Count} exporter(s)");
        return Success;
    }

    private static int ListComponents(ComponentRegistry registry, TextWriter output)
    {
        var version = Assembly.GetExecutingAssembly().GetName().Version;
        output.WriteLine($"collector {version}");
        foreach (var kind in Enum.GetValues<ComponentKind>())
        {
            output.WriteLine($"{kind.SectionName()}:");
            foreach (var factory in registry.Factories.Where(f => f.Kind == kind).OrderBy(f => f.Type, StringComparer.Ordinal))
            {
                var aliases = factory.Aliases.Count == 0 ? "" : $" (also: {string.Join(", ", factory.Aliases)})";
                output.WriteLine($"  {factory.Type}{aliases}: {factory.Description}");
            }
        }
        return Success;
    }
}

/// <summary>A loaded config: the service when valid, otherwise the error lines; warnings either way.</summary>
internal sealed record LoadResult(ServiceDefinition? Service, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors);
