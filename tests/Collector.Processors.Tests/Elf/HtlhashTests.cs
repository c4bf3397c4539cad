using Collector.Processors.Elf;

namespace Collector.Processors.Tests.Elf;

/// <summary>htlhash against an independent computation (Python's hashlib) of the semantic conventions' formula.</summary>
public sealed class HtlhashTests
{
    // File[:4096] + File[-4096:] + big-endian uint64 length; Python slices take the whole file when it is shorter.
    private const string Reference =
        "import hashlib, struct, sys\n" +
        "data = open(sys.argv[1], 'rb').read()\n" +
        "print(hashlib.sha256(data[:4096] + data[-4096:] + struct.pack('>Q', len(data))).hexdigest()[:32])\n";

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(8192)]
    [InlineData(10_000)]
    [InlineData(1_000_003)]
    public void Matches_the_formula_computed_by_python(int length)
    {
        ExternalTools.Require(File.Exists(ExternalTools.SystemPython), "python3 is not installed");
        var content = new byte[length];
        new Random(length).NextBytes(content);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, content);
            var expected = ExternalTools.Run(ExternalTools.SystemPython, ["-c", Reference, path], stdin: null).Output.Trim();
            Assert.Equal(32, expected.Length);
            using var handle = File.OpenHandle(path);
            Assert.Equal(expected, Htlhash.Compute(handle));
            Assert.Equal(expected, Htlhash.Compute(content));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_empty_input_hashes_its_length_only()
    {
        // SHA-256 of eight zero bytes, truncated to 16 bytes.
        Assert.Equal("af5570f5a1810b7af78caf4bc70a660f", Htlhash.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void The_result_is_lower_case_hex_of_16_bytes()
    {
        var hash = Htlhash.Compute("content"u8);
        Assert.Matches("^[0-9a-f]{32}$", hash);
    }
}
