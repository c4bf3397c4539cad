namespace Collector.Core.Model;

/// <summary>Profiles of one resource, grouped by instrumentation scope. <see cref="Resource"/> is null when absent on the wire.</summary>
public sealed class ResourceProfiles
{
    public Resource? Resource { get; set; }

    public List<ScopeProfiles> ScopeProfiles { get; init; } = [];

    public string SchemaUrl { get; set; } = "";

    public ResourceProfiles Clone() => new()
    {
        Resource = Resource?.Clone(),
        ScopeProfiles = ScopeProfiles.ConvertAll(s => s.Clone()),
        SchemaUrl = SchemaUrl,
    };
}

/// <summary>Profiles produced by one instrumentation scope. <see cref="Scope"/> is null when absent on the wire.</summary>
public sealed class ScopeProfiles
{
    public InstrumentationScope? Scope { get; set; }

    public List<Profile> Profiles { get; init; } = [];

    public string SchemaUrl { get; set; } = "";

    public ScopeProfiles Clone() => new()
    {
        Scope = Scope?.Clone(),
        Profiles = Profiles.ConvertAll(p => p.Clone()),
        SchemaUrl = SchemaUrl,
    };
}
