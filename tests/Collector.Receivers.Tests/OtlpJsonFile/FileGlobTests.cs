using Collector.Receivers.OtlpJsonFile;

namespace Collector.Receivers.Tests.OtlpJsonFile;

public sealed class FileGlobTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public FileGlobTests()
    {
        foreach (var file in new[] { "a.jsonl", "b.jsonl", "b.txt", "ab.jsonl.gz", "logs/c.jsonl", "logs/deep/d.jsonl", "logs/deep/e.txt", "other/f.jsonl" })
        {
            var path = _directory.File(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }
    }

    [Theory]
    [InlineData("*.jsonl", new[] { "a.jsonl", "b.jsonl" })]
    [InlineData("?.jsonl", new[] { "a.jsonl", "b.jsonl" })]
    [InlineData("a*", new[] { "a.jsonl", "ab.jsonl.gz" })]
    [InlineData("b.txt", new[] { "b.txt" })]
    [InlineData("missing.jsonl", new string[0])]
    [InlineData("*/c.jsonl", new[] { "logs/c.jsonl" })]
    [InlineData("*/*.jsonl", new[] { "logs/c.jsonl", "other/f.jsonl" })]
    [InlineData("**/*.jsonl", new[] { "a.jsonl", "b.jsonl", "logs/c.jsonl", "logs/deep/d.jsonl", "other/f.jsonl" })]
    [InlineData("logs/**", new[] { "logs/c.jsonl", "logs/deep/d.jsonl", "logs/deep/e.txt" })]
    [InlineData("nowhere/*.jsonl", new string[0])]
    public void Patterns_relative_to_the_working_directory_match_files(string pattern, string[] expected)
    {
        var found = new FileGlob(pattern, _directory.Path).Expand();

        Assert.Equal(expected.Select(_directory.File), found);
    }

    [Fact]
    public void Absolute_patterns_ignore_the_working_directory()
    {
        var found = new FileGlob(_directory.File("logs/*.jsonl"), "/somewhere/else").Expand();

        Assert.Equal([_directory.File("logs/c.jsonl")], found);
    }

    public void Dispose() => _directory.Dispose();
}
