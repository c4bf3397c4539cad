using Collector.Processors.Symbolization.Elf;

namespace Collector.Processors.Tests.Symbolization.Elf;

public sealed class TriedSourcesTests
{
    [Fact]
    public void A_path_or_held_file_not_tried_yet_is_worth_a_look_and_a_tried_one_is_not()
    {
        var tried = TriedSources.Of("", heldPath: null, earlier: null);

        Assert.False(tried.Lacks("", null));
        Assert.True(tried.Lacks("/usr/bin/app", null));
        Assert.True(tried.Lacks("", "/usr/bin/app"));

        var more = TriedSources.Of("/usr/bin/app", "/usr/bin/app", tried);
        Assert.False(more.Lacks("", null));
        Assert.False(more.Lacks("/usr/bin/app", "/usr/bin/app"));
        // A held file is another source than the same path: it can be read after the path is gone.
        Assert.True(TriedSources.Of("/usr/bin/app", null, null).Lacks("/usr/bin/app", "/usr/bin/app"));
    }

    [Fact]
    public void Past_thirty_two_sources_a_file_waits_for_the_retry_interval()
    {
        var tried = TriedSources.None;
        for (var i = 0; i < 31; i++) tried = TriedSources.Of($"/copy/{i}", null, tried);
        Assert.True(tried.Lacks("/copy/new", null));

        tried = TriedSources.Of("/copy/31", null, tried);
        Assert.False(tried.Lacks("/copy/new", null));
        Assert.False(tried.Lacks("/copy/new", "/held/new"));
    }
}
