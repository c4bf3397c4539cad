using Collector.Core.Components;

namespace Collector.Extensions.BearerTokenAuth;

public sealed class BearerTokenAuthExtensionFactory : ExtensionFactory<BearerTokenAuthOptions>
{
    public override string Type => "bearertokenauth";

    public override string Description => "Authenticates requests to receivers by a bearer token given inline or in a file.";

    protected override IExtension Create(ComponentCreateSettings settings, BearerTokenAuthOptions options) =>
        new BearerTokenAuthExtension(settings, options);
}
