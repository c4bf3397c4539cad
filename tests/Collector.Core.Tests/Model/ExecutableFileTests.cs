using Collector.Core.Model;

namespace Collector.Core.Tests.Model;

public sealed class ExecutableFileTests
{
    [Fact]
    public void A_mapping_is_found_under_its_gnu_build_id_before_its_htlhash()
    {
        var both = new Mapping(0x1000, 0x2000, 0, "/usr/bin/app",
            [KeyValueAndUnit.Of(SemanticConventions.BuildIdHtlhash, "600dcafe"), KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, "abcd")]);
        var htlhashOnly = new Mapping(0x1000, 0x2000, 0, "/usr/bin/app", [KeyValueAndUnit.Of(SemanticConventions.BuildIdHtlhash, "600dcafe")]);
        var none = new Mapping(0x1000, 0x2000, 0, "[anon]");

        Assert.Equal("abcd", ExecutableFile.KeyOf(both));
        Assert.Equal("600dcafe", ExecutableFile.KeyOf(htlhashOnly));
        Assert.Null(ExecutableFile.KeyOf(none));
    }

    [Fact]
    public void A_clone_has_its_own_dictionary_of_the_same_executables()
    {
        var batch = new ProfileBatch();
        var file = new NamedOnly("/usr/bin/app");
        batch.Executables.Add("abcd", file);
        var clone = batch.Clone();
        clone.Executables.Add("ef01", new NamedOnly("/usr/lib/libz.so"));

        Assert.Same(file, clone.Executables["abcd"]);
        Assert.False(batch.Executables.ContainsKey("ef01"));
    }

    private sealed class NamedOnly(string path) : ExecutableFile
    {
        public override string Path => path;

        public override Microsoft.Win32.SafeHandles.SafeFileHandle? Open() => null;
    }
}
