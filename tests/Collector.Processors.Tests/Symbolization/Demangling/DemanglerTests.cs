using Collector.Processors.Symbolization.Demangling;

namespace Collector.Processors.Tests.Symbolization.Demangling;

/// <summary>
/// The hand-picked table (demangle-cases.tsv): about five hundred names chosen to cover each production of the
/// Itanium grammar (names, templates, substitutions, template parameters, std:: abbreviations, operators,
/// constructors, qualifiers, references, member pointers, function and array types, lambdas, unnamed types, local
/// names, ABI tags, clone suffixes, special names, expressions), Rust legacy and Rust v0 names, and malformed
/// input. The expected column is what GNU c++filt 2.40 printed; an empty column means c++filt leaves the name
/// as it is, and so must we (TryDemangle returns false).
/// </summary>
public sealed class DemanglerTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var path = Path.Combine(ExternalTools.RepositoryRoot, "tests", "Collector.Processors.Tests", "Symbolization", "Demangling", "demangle-cases.tsv");
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            data.Add(line[..tab], line[(tab + 1)..]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prints_what_cxxfilt_prints(string mangled, string expected)
    {
        var ok = Demangler.TryDemangle(mangled, out var demangled);
        if (expected.Length == 0)
        {
            Assert.False(ok, $"c++filt leaves {mangled} alone, we printed {demangled}");
        }
        else
        {
            Assert.True(ok, $"{mangled} was not demangled");
            Assert.Equal(expected, demangled);
        }
    }

    [Theory]
    [InlineData("_Z3foov", "foo()")]
    [InlineData("_ZN3foo3barEv", "foo::bar()")]
    [InlineData("_ZNK3foo3barEv", "foo::bar() const")]
    [InlineData("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)")]
    [InlineData("_Z1fPFviE", "f(void (*)(int))")]
    [InlineData("_Z3foov.constprop.0.isra.0", "foo() [clone .constprop.0] [clone .isra.0]")]
    [InlineData("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write::h0123456789abcdef")]
    [InlineData("_RNvCs1234_7mycrate3foo", "mycrate[3c1c0]::foo")]
    public void Common_names(string mangled, string expected)
    {
        Assert.True(Demangler.TryDemangle(mangled, out var demangled));
        Assert.Equal(expected, demangled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("main")]
    [InlineData("_Z")]
    [InlineData("_R")]
    [InlineData("_Z3fo")]
    [InlineData("_Z1fS_")]
    [InlineData("_Z3foov.")]
    [InlineData("_Z3foovX")]
    [InlineData("_GLOBAL__sub_I_main.cpp")]
    public void Rejects_what_is_not_a_whole_mangled_name(string raw)
    {
        Assert.False(Demangler.TryDemangle(raw, out var demangled));
        Assert.Null(demangled);
    }

    [Theory]
    [InlineData("_ZNSt8_Rb_treeIiSt4pairIKiSsESt10_Select1stIS2_ESt4lessIiESaIS2_EE8_M_eraseEPSt13_Rb_tree_nodeIS2_E")]
    [InlineData("_ZN4llvm2cl5applyINS0_3optINS_5Reloc5ModelELb0ENS0_6parserIS4_EEEEA17_cJNS0_4descENS0_11ValuesClassEEEEvPT_RKT0_DpRKT1_")]
    [InlineData("_Z1fIiEDTcl1gfp_EET_")]
    [InlineData("_ZN4core3fmt5write17h0123456789abcdefE")]
    [InlineData("_RNvXs3_NtCshg5UprtI8ZK_4jiff5errorNtB5_9ErrorKindNtNtCs1234_4core3fmt7Display3fmt")]
    public void A_warm_demangle_allocates_only_its_result(string mangled)
    {
        Assert.True(Demangler.TryDemangle(mangled, out var warm));
        var resultBytes = System.Text.Encoding.Unicode.GetByteCount(warm) + 32; // chars plus object header and length
        const int Rounds = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++) Demangler.TryDemangle(mangled, out _);
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Rounds;
        Assert.True(perCall <= resultBytes + 8, $"{perCall:F0} bytes per demangle, the result is {resultBytes}");
    }

    [Fact]
    public void Repeated_calls_reuse_their_state_and_give_the_same_answer()
    {
        const string Name = "_ZNSt8_Rb_treeIiSt4pairIKiSsESt10_Select1stIS2_ESt4lessIiESaIS2_EE8_M_eraseEPSt13_Rb_tree_nodeIS2_E";
        Assert.True(Demangler.TryDemangle(Name, out var first));
        Assert.False(Demangler.TryDemangle("_Z1fS9_", out _));
        Assert.True(Demangler.TryDemangle(Name, out var second));
        Assert.Equal(first, second);
    }
}
