using Collector.Processors.Caching;
using Collector.Processors.Symbolization;
using Collector.Processors.Symbolization.PerfMaps;

namespace Collector.Processors.Tests.Symbolization.PerfMaps;

public sealed class PerfMapResolverTests : IDisposable
{
    private const int Pid = 4242;
    private readonly SymbolizerSandbox _sandbox = new();

    [Fact]
    public void An_address_that_misses_reads_the_appended_lines_in_the_same_batch_and_only_those()
    {
        WriteMap(Pid, "1000 100 Program::Main()");
        using var resolver = Resolver();
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x1010, out var main));
        Assert.Equal("Program::Main()", main.Name);

        // Tier-1 code listed after the first read: named in the next batch that samples it, no waiting for an interval.
        AppendMap(Pid, "2000 100 Program::Hot()[OptimizedTier1]");
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x2010, out var hot));
        Assert.Equal("Program::Hot()[OptimizedTier1]", hot.Name);
        Assert.Equal(2, resolver.Reads);
        Assert.Equal(new FileInfo(MapPath(Pid)).Length, resolver.Cache.TryGet(Pid, out var map) ? map.Follower.Offset : -1);
        Assert.True(resolver.TryResolve(Pid, 0x1010, out _)); // earlier lines are kept
    }

    [Fact]
    public void A_map_is_checked_at_most_once_per_batch_for_each_process()
    {
        WriteMap(Pid, "1000 100 Program::Main()");
        using var resolver = Resolver();
        resolver.BeginBatch();
        Assert.False(resolver.TryResolve(Pid, 0x9000, out _));
        AppendMap(Pid, "2000 100 Program::Hot()");
        Assert.False(resolver.TryResolve(Pid, 0x2010, out _)); // this batch already looked
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x2010, out _));
    }

    [Fact]
    public void An_unchanged_map_is_not_parsed_again_however_often_addresses_miss()
    {
        WriteMap(Pid, "1000 100 Program::Main()");
        using var resolver = Resolver();
        for (var i = 0; i < 10; i++)
        {
            resolver.BeginBatch();
            Assert.False(resolver.TryResolve(Pid, 0x9000, out _));
            _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(1, resolver.Reads);
    }

    [Fact]
    public void A_line_the_runtime_is_still_writing_is_read_whole_next_time()
    {
        File.WriteAllText(MapPath(Pid), "1000 100 Program::Main()\n2000 10");
        var telemetry = _sandbox.Telemetry();
        using var resolver = new PerfMapResolver(_sandbox.Environment, new CachePolicy(TimeSpan.FromHours(1), 16, _sandbox.Clock), telemetry);
        resolver.BeginBatch();
        Assert.False(resolver.TryResolve(Pid, 0x2005, out _));
        File.AppendAllText(MapPath(Pid), "0 Program::Late()\n");
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x2005, out var late));
        Assert.Equal("Program::Late()", late.Name);
        Assert.Empty(telemetry.FailureCounts);
    }

    [Fact]
    public void A_truncated_or_rewritten_map_is_read_again_from_its_start()
    {
        WriteMap(Pid, "1000 100 Old::LongNameThatMakesTheFileLonger()");
        using var resolver = Resolver();
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x1010, out _));

        WriteMap(Pid, "3000 100 New::A()"); // shorter: truncated
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x3010, out var a));
        Assert.Equal("New::A()", a.Name);
        Assert.False(resolver.TryResolve(Pid, 0x1010, out _));

        // Longer but starting differently: another process's map after pid reuse.
        WriteMap(Pid, "5000 100 Other::B()\n6000 100 Other::C()");
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x6010, out _));
        Assert.False(resolver.TryResolve(Pid, 0x3010, out _));
    }

    [Fact]
    public void A_map_that_appears_later_is_found_on_a_miss()
    {
        using var resolver = Resolver();
        resolver.BeginBatch();
        Assert.False(resolver.TryResolve(Pid, 0x1010, out _));
        WriteMap(Pid, "1000 100 Program::Main()");
        resolver.BeginBatch();
        Assert.True(resolver.TryResolve(Pid, 0x1010, out _));
    }

    [Fact]
    public void A_containerised_process_has_its_map_in_its_own_root_under_its_namespace_pid()
    {
        var processDirectory = Path.Combine(_sandbox.ProcRoot, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(processDirectory, "root", "tmp"));
        File.WriteAllText(Path.Combine(processDirectory, "status"), "Name:\tdotnet\nNSpid:\t4242\t7\n");
        File.WriteAllText(Path.Combine(processDirectory, "root", "tmp", "perf-7.map"), "1000 100 InContainer()\n");
        using var resolver = Resolver();
        Assert.True(resolver.TryResolve(Pid, 0x1010, out var function));
        Assert.Equal("InContainer()", function.Name);
    }

    [Fact]
    public void Maps_are_per_process()
    {
        WriteMap(1, "1000 100 One()");
        WriteMap(2, "1000 100 Two()");
        using var resolver = Resolver();
        Assert.True(resolver.TryResolve(1, 0x1010, out var one));
        Assert.True(resolver.TryResolve(2, 0x1010, out var two));
        Assert.Equal("One()", one.Name);
        Assert.Equal("Two()", two.Name);
    }

    public void Dispose() => _sandbox.Dispose();

    private PerfMapResolver Resolver() =>
        new(_sandbox.Environment, new CachePolicy(TimeSpan.FromHours(1), 16, _sandbox.Clock), _sandbox.Telemetry());

    private string MapPath(int pid) => Path.Combine(_sandbox.PerfMapDirectory, $"perf-{pid}.map");

    private void WriteMap(int pid, string line) => File.WriteAllText(MapPath(pid), line + "\n");

    private void AppendMap(int pid, string line) => File.AppendAllText(MapPath(pid), line + "\n");
}
