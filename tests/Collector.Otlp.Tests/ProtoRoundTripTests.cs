using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Otlp.Tests;

public class ProtoRoundTripTests
{
    [Fact]
    public void Corpus_survives_proto_to_model_to_proto()
    {
        var request = OtlpCorpus.Request();
        var bytes = request.ToByteArray();

        var again = ModelToOtlp.ToRequest(OtlpToModel.ToBatch(ExportProfilesServiceRequest.Parser.ParseFrom(bytes)));

        Assert.Equal(request, again);
        Assert.Equal(bytes, again.ToByteArray());
    }

    [Fact]
    public void Corpus_is_stable_from_model_to_proto_to_model_to_proto()
    {
        var first = ModelToOtlp.ToRequest(OtlpCorpus.Batch());
        var second = ModelToOtlp.ToRequest(OtlpToModel.ToBatch(first));
        var third = ModelToOtlp.ToRequest(OtlpToModel.ToBatch(second));

        Assert.Equal(first.ToByteArray(), second.ToByteArray());
        Assert.Equal(second.ToByteArray(), third.ToByteArray());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_batches_re_encode_identically(int seed)
    {
        var generator = new RandomBatches(seed);
        for (var i = 0; i < 20; i++)
        {
            var request = ModelToOtlp.ToRequest(generator.Next());
            var bytes = request.ToByteArray();

            var again = ModelToOtlp.ToRequest(OtlpToModel.ToBatch(ExportProfilesServiceRequest.Parser.ParseFrom(bytes)));

            Assert.Equal(request, again);
            Assert.Equal(bytes, again.ToByteArray());
        }
    }

    public static TheoryData<int> Seeds => [1, 2, 3, 42, 1234];
}
