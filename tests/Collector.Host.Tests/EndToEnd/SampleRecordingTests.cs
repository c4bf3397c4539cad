using Collector.Host.Tests.Support;
using Collector.Otlp;

namespace Collector.Host.Tests.EndToEnd;

public class SampleRecordingTests
{
    /// <summary>Regenerate with: COLLECTOR_REGENERATE_SAMPLE=1 dotnet test tests/Collector.Host.Tests --filter SampleRecording</summary>
    [Fact]
    public void The_committed_sample_recording_is_what_the_generator_produces()
    {
        var path = Path.Combine(RepoPaths.Root, SampleRecording.RelativePath);
        var expected = SampleRecording.Lines().SelectMany(line => line.Append((byte)'\n')).ToArray();
        if (Environment.GetEnvironmentVariable("COLLECTOR_REGENERATE_SAMPLE") == "1") File.WriteAllBytes(path, expected);
        Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{SampleRecording.RelativePath} is stale: regenerate it (see this test's comment)");
    }

    [Fact]
    public void Every_export_of_the_sample_stands_alone_and_names_every_frame()
    {
        var exports = Recordings.ReadJsonLines(Path.Combine(RepoPaths.Root, SampleRecording.RelativePath));
        Assert.Equal(12, exports.Count);
        foreach (var export in exports)
        {
            Assert.Empty(ExportValidator.Validate(export));
            Assert.All(export.Dictionary.LocationTable.Skip(1), location => Assert.NotEmpty(location.Lines));
        }
    }
}
