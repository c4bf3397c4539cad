namespace Collector.Config.Binding;

/// <summary>
/// Why the binder's reflection is safe in the Native AOT build, for the warnings it suppresses: the host keeps
/// the assemblies that declare options types whole (TrimmerRootAssembly in host/Collector.Host.csproj), so
/// their properties and constructors are there; the sequences and maps it creates are instantiations the
/// options types already declare (List&lt;string&gt;, int[], Dictionary&lt;string, string&gt;, ...). The Native
/// AOT tests in tests/Collector.Host.Tests bind every shipped config with the published binary.
/// </summary>
internal static class ReflectionNeeds
{
    public const string OptionsAssembliesKeptWhole =
        "Options types live in assemblies the host roots for trimming, so their members are kept.";

    public const string InstantiationsDeclaredByOptions =
        "The created collection types are the ones options properties declare, so their code is compiled.";
}
