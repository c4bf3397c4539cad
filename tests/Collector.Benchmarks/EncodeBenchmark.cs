using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace Collector.Benchmarks;

/// <summary>
/// OTLP codec cost for one 10,000-sample export (see <see cref="EncodeBatch"/>). The target is ToRequest +
/// ToByteArray at 1,000,000 samples/s or more; bench/encode.sh converts the means into samples/s.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CsvInMilliseconds))]
public class EncodeBenchmark
{
    private ProfileBatch _batch = null!;
    private ExportProfilesServiceRequest _request = null!;
    private byte[] _bytes = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(4 << 20);

    [GlobalSetup]
    public void Setup()
    {
        _batch = EncodeBatch.Build();
        _request = ModelToOtlp.ToRequest(_batch);
        _bytes = _request.ToByteArray();
    }

    [Benchmark(Baseline = true, Description = "ToRequest+ToByteArray")]
    public byte[] Encode() => ModelToOtlp.ToRequest(_batch).ToByteArray();

    /// <summary>
    /// What an exporter does: encode into a buffer it keeps between exports. ToByteArray allocates a fresh
    /// large array per export, which lands on the large object heap and costs a full collection now and then.
    /// </summary>
    [Benchmark(Description = "ToRequest+WriteTo(reused buffer)")]
    public int EncodeIntoReusedBuffer()
    {
        _buffer.ResetWrittenCount();
        ModelToOtlp.ToRequest(_batch).WriteTo(_buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "ToRequest")]
    public ExportProfilesServiceRequest ToRequest() => ModelToOtlp.ToRequest(_batch);

    [Benchmark(Description = "OtlpJson.Serialize")]
    public byte[] SerializeJson() => OtlpJson.Serialize(_request);

    [Benchmark(Description = "ToBatch")]
    public ProfileBatch Decode() => OtlpToModel.ToBatch(_request);

    [Benchmark(Description = "ParseFrom+ToBatch")]
    public ProfileBatch ParseAndDecode() => OtlpToModel.ToBatch(ExportProfilesServiceRequest.Parser.ParseFrom(_bytes));

    /// <summary>Machine-readable results for bench/encode.sh: ';'-separated (runtime names contain commas), plain milliseconds.</summary>
    private sealed class CsvInMilliseconds : ManualConfig
    {
        public CsvInMilliseconds()
        {
            AddColumn(StatisticColumn.Median);
            AddExporter(new CsvExporter(CsvSeparator.Semicolon,
                new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, SizeUnit.KB, TimeUnit.Millisecond, printUnitsInContent: false)));
        }
    }
}
