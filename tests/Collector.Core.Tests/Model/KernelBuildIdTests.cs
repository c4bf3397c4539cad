using Collector.Core.Model;

namespace Collector.Core.Tests.Model;

public sealed class KernelBuildIdTests
{
    private static readonly byte[] Sha1Id = Convert.FromHexString("2f0d3b0b5c8a9e1f00112233445566778899aabb");

    [Fact]
    public void Round_trips_twenty_bytes_and_prints_them_as_lower_case_hex()
    {
        var id = KernelBuildId.FromBytes(Sha1Id);
        Assert.Equal("2f0d3b0b5c8a9e1f00112233445566778899aabb", id.ToString());
        Assert.True(id.Matches(Sha1Id));
        Assert.False(id.IsEmpty);
    }

    [Fact]
    public void A_shorter_note_matches_only_when_the_padding_is_zero()
    {
        var md5Sized = Sha1Id[..16];
        var id = KernelBuildId.FromBytes(md5Sized);
        Assert.True(id.Matches(md5Sized));
        Assert.False(id.Matches(Sha1Id));
        Assert.False(KernelBuildId.FromBytes(Sha1Id).Matches(md5Sized));
    }

    [Fact]
    public void The_zero_id_is_unknown_and_matches_nothing()
    {
        Assert.True(default(KernelBuildId).IsEmpty);
        Assert.False(new UserFrameOrigin(default, 0x1234).IsKnown);
        Assert.False(default(KernelBuildId).Matches([]));
    }
}
