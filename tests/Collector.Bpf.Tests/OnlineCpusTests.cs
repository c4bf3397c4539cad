namespace Collector.Bpf.Tests;

public class OnlineCpusTests
{
    [Theory]
    [InlineData("0\n", new[] { 0 })]
    [InlineData("0-3\n", new[] { 0, 1, 2, 3 })]
    [InlineData("0-1,4,6-7", new[] { 0, 1, 4, 6, 7 })]
    public void Parses_the_kernel_cpu_list(string text, int[] cpus) => Assert.Equal(cpus, OnlineCpus.Parse(text));

    [Fact]
    public void Rejects_a_reversed_range() => Assert.Throws<FormatException>(() => OnlineCpus.Parse("3-1"));

    [Fact]
    public void Reads_this_machine() => Assert.Equal(Environment.ProcessorCount, OnlineCpus.Read().Count);
}
