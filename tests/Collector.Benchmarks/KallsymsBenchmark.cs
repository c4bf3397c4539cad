using BenchmarkDotNet.Attributes;
using Collector.Processors.Symbolization.Kernel;

namespace Collector.Benchmarks;

/// <summary>
/// Reading this machine's kernel symbol table, as the symbolization processor does at start-up and again when a
/// module loads. "from /proc" includes the kernel's work of producing the text (system time); "from memory"
/// is the parser alone, on the same bytes read once. Needs a kernel that shows the addresses (root or
/// kernel.kptr_restrict=0), or the table holds nothing to name frames with.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class KallsymsBenchmark
{
    private const string Path = "/proc/kallsyms";
    private byte[] _text = null!;

    [GlobalSetup]
    public void Setup() => _text = File.ReadAllBytes(Path);

    [Benchmark(Baseline = true, Description = "from /proc")]
    public int FromProc()
    {
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        return KallsymsParser.Parse(file, out _).Count;
    }

    [Benchmark(Description = "from memory")]
    public int FromMemory()
    {
        using var text = new MemoryStream(_text, writable: false);
        return KallsymsParser.Parse(text, out _).Count;
    }
}
