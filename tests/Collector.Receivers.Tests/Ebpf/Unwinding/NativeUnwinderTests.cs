using System.Diagnostics;
using System.Globalization;
using Collector.ProcMaps;
using Collector.Receivers.Ebpf.Unwinding;

namespace Collector.Receivers.Tests.Ebpf.Unwinding;

/// <summary>The unwinder's user-space half, apart from the kernel: how it names the files whose tables it shares.</summary>
public sealed class NativeUnwinderTests
{
    [Fact]
    public void Two_processes_of_one_executable_share_its_table_key_which_carries_the_files_own_modification_time()
    {
        // Reading /proc/<pid>/map_files needs CAP_SYS_ADMIN, which the BPF prerequisites include (root).
        Prerequisites.Bpf();
        const string Sleep = "/usr/bin/sleep"; // the path the kernel prints in maps (Debian's /bin links to usr/bin)
        ExternalTools.Require(File.Exists(Sleep), $"{Sleep} is not installed (Debian package coreutils)");
        var file = new FileInfo(Sleep);
        using var first = Process.Start(Sleep, "5");
        using var second = Process.Start(Sleep, "5");
        try
        {
            Thread.Sleep(200); // exec done, the program mapped
            var keys = new[] { first, second }.Select(process =>
            {
                var directory = "/proc/" + process.Id.ToString(CultureInfo.InvariantCulture);
                var entry = MapsParser.Parse(File.ReadAllText(directory + "/maps"), out _)
                    .First(e => e.Executable && e.Kind == MapsEntryKind.File && e.Path == file.FullName);
                return NativeUnwinder.KeyOf(directory, entry);
            }).ToList();

            Assert.Equal(keys[0], keys[1]);
            Assert.Equal(file.LastWriteTimeUtc.Ticks, keys[0].ModifiedTicks);
        }
        finally
        {
            first.Kill();
            second.Kill();
        }
    }
}
