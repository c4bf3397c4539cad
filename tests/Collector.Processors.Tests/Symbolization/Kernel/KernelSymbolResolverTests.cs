using Collector.Processors.Caching;
using Collector.Processors.Symbolization;
using Collector.Processors.Symbolization.Kernel;
using Microsoft.Extensions.Logging;

namespace Collector.Processors.Tests.Symbolization.Kernel;

public sealed class KernelSymbolResolverTests : IDisposable
{
    private const ulong ModuleAddress = 0xffffffffc0401010;
    private readonly SymbolizerSandbox _sandbox = new();

    [Fact]
    public void A_module_loaded_after_the_first_read_is_named_after_a_rate_limited_re_read()
    {
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        using var resolver = Resolver(out _);
        Assert.True(resolver.TryResolve(0xffffffff81001010, out _, out _, out _));
        Assert.False(resolver.TryResolve(ModuleAddress, out _, out _, out var reason));
        Assert.Equal(UnresolvedReason.KernelAddressUnknown, reason);

        _sandbox.WriteKallsyms([.. KallsymsParserTests.CoreAndE1000, "ffffffffc0401000 t nf_hook_slow\t[nf_tables]"]);
        Assert.False(resolver.TryResolve(ModuleAddress, out _, out _, out _)); // too soon to read again
        Assert.Equal(1, resolver.Reads);

        _sandbox.Clock.Advance(SymbolizerEnvironment.DefaultRereadInterval);
        Assert.True(resolver.TryResolve(ModuleAddress, out var function, out var image, out _));
        Assert.Equal("nf_hook_slow", function.Name);
        Assert.Equal("nf_tables", image.Filename);
        Assert.Equal(2, resolver.Reads);
    }

    [Fact]
    public void Known_addresses_never_cause_a_re_read()
    {
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        using var resolver = Resolver(out _);
        for (var i = 0; i < 100; i++)
        {
            _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True(resolver.TryResolve(0xffffffffc0001010, out _, out _, out _));
        }
        Assert.Equal(1, resolver.Reads);
    }

    [Fact]
    public void Hidden_addresses_are_counted_and_logged_once_and_not_read_again_on_every_miss()
    {
        _sandbox.WriteKallsyms([.. KallsymsParserTests.CoreAndE1000.Select(line => "0000000000000000" + line[16..])]);
        using var resolver = Resolver(out var telemetry);
        for (var i = 0; i < 5; i++)
        {
            Assert.False(resolver.TryResolve(0xffffffff81001010, out _, out _, out var reason));
            Assert.Equal(UnresolvedReason.KernelSymbolsUnavailable, reason);
            _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(1, resolver.Reads); // reading again cannot reveal what the kernel hides
        Assert.Equal(1, telemetry.FailureCounts["kallsyms_addresses_hidden"]);
        Assert.Single(_sandbox.Logs.At(LogLevel.Warning), message => message.Contains("reads as zero", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_kallsyms_is_a_counted_failure()
    {
        using var resolver = Resolver(out var telemetry);
        Assert.False(resolver.TryResolve(0xffffffff81001010, out _, out _, out var reason));
        Assert.Equal(UnresolvedReason.KernelSymbolsUnavailable, reason);
        Assert.Equal(1, telemetry.FailureCounts["kallsyms_unreadable"]);
    }

    public void Dispose() => _sandbox.Dispose();

    private KernelSymbolResolver Resolver(out SymbolizerTelemetry telemetry)
    {
        telemetry = _sandbox.Telemetry();
        return new KernelSymbolResolver(_sandbox.Environment, new CachePolicy(TimeSpan.FromHours(1), 16, _sandbox.Clock), telemetry);
    }
}
