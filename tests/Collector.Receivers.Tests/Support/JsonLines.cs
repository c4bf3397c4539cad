using System.Text;
using Collector.Core.Model;
using Collector.Otlp;

namespace Collector.Receivers.Tests.Support;

internal static class JsonLines
{
    public static byte[] Of(ProfileBatch batch) => [.. OtlpJson.Serialize(ModelToOtlp.ToRequest(batch)), (byte)'\n'];

    public static byte[] Of(params ProfileBatch[] batches) => batches.SelectMany(Of).ToArray();

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task AppendAsync(string path, byte[] bytes)
    {
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await file.WriteAsync(bytes);
    }
}
