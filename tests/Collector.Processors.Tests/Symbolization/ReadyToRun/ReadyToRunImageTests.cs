using Collector.Processors.Symbolization.ReadyToRun;

namespace Collector.Processors.Tests.Symbolization.ReadyToRun;

public sealed class ReadyToRunImageTests
{
    /// <summary>The framework this test runs on ships its CoreLib precompiled, so it serves as the real-world image.</summary>
    private static string CoreLib => typeof(object).Assembly.Location;

    [Fact]
    public void The_precompiled_methods_of_CoreLib_are_named_from_its_entry_points_and_metadata()
    {
        using var handle = File.OpenHandle(CoreLib);
        var (methods, sections) = ReadyToRunImage.Read(handle, CoreLib);
        var blocks = methods.Blocks().ToList();
        Assert.True(blocks.Count > 10_000, $"{blocks.Count} code blocks");
        Assert.True(methods.Named >= 0.9 * blocks.Count, $"{methods.Named} of {blocks.Count} named");
        // Non-generic methods (MethodDefEntryPoints) and generic instantiations (InstanceMethodEntryPoints).
        Assert.Contains(blocks, b => b.Name == "System.String.Concat");
        Assert.Contains(blocks, b => b.Name == "System.Collections.Generic.Dictionary`2.FindValue");
        var (start, name) = blocks.First(b => b.Name == "System.String.Concat");
        Assert.True(methods.TryFind(start + 1, out var function));
        Assert.Equal(name, function.Name);
        Assert.True(sections.TryRva(0x400, out _));
    }

    [Fact]
    public void An_il_only_assembly_or_a_file_that_is_not_pe_is_refused_with_a_reason()
    {
        var ilOnly = typeof(ReadyToRunImageTests).Assembly.Location;
        using (var handle = File.OpenHandle(ilOnly))
        {
            Assert.Contains("IL only", Assert.Throws<ReadyToRunFormatException>(() => ReadyToRunImage.Read(handle, ilOnly)).Message);
        }
        var garbage = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(garbage, [(byte)'M', (byte)'Z', 1, 2, 3, 4, 5, 6, 7, 8]);
            using var handle = File.OpenHandle(garbage);
            Assert.Throws<ReadyToRunFormatException>(() => ReadyToRunImage.Read(handle, garbage));
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public void A_truncated_image_is_refused_not_crashed_on()
    {
        var bytes = File.ReadAllBytes(CoreLib);
        var truncated = Path.GetTempFileName();
        try
        {
            foreach (var length in new[] { 512, 4096, bytes.Length / 2 })
            {
                File.WriteAllBytes(truncated, bytes[..length]);
                using var handle = File.OpenHandle(truncated);
                Assert.Throws<ReadyToRunFormatException>(() => ReadyToRunImage.Read(handle, truncated));
            }
        }
        finally
        {
            File.Delete(truncated);
        }
    }
}
