using Collector.Processors.Symbolization;

namespace Collector.Processors.Tests.Symbolization;

public class SymbolNamesTests
{
    [Fact]
    public void A_mangled_name_is_shown_demangled_and_kept_raw_as_system_name()
    {
        var function = SymbolNames.ToFunction("_ZN9Collector4workEi");
        Assert.Equal("Collector::work(int)", function.Name);
        Assert.Equal("_ZN9Collector4workEi", function.SystemName);
        Assert.Equal("", function.Filename);
    }

    [Fact]
    public void A_plain_c_name_is_both_name_and_system_name()
    {
        var function = SymbolNames.ToFunction("leaf_hot");
        Assert.Equal("leaf_hot", function.Name);
        Assert.Equal("leaf_hot", function.SystemName);
    }
}
