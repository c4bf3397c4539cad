using System.Collections.Immutable;
using Collector.Core.Model;

namespace Collector.Otlp.Tests;

/// <summary>
/// Seeded random batches that reuse entities the way real ones do (shared mappings, functions, locations,
/// stacks) and include the awkward values: null and all-zero entities, empty links, by-reference strings and keys.
/// </summary>
internal sealed class RandomBatches(int seed)
{
    private readonly Random _random = new(seed);

    public ProfileBatch Next()
    {
        var strings = Enumerable.Range(0, 1 + _random.Next(20)).Select(i => $"s{i}-{_random.Next(1000)}").Append("").ToArray();
        var attributes = Enumerable.Range(0, 1 + _random.Next(12))
            .Select(i => new KeyValueAndUnit($"attr.{i % 6}", _random.Next(6) == 0 ? null : Value(strings, 2), Pick(strings)))
            .Append(new KeyValueAndUnit("", null))
            .ToArray();
        var mappings = Enumerable.Range(0, 1 + _random.Next(4))
            .Select(_ => new Mapping((ulong)_random.NextInt64(), (ulong)_random.NextInt64(), (ulong)_random.Next(4096), Pick(strings), Attributes(attributes)))
            .Append(new Mapping(0, 0, 0, ""))
            .ToArray();
        var functions = Enumerable.Range(0, 1 + _random.Next(10))
            .Select(_ => new Function(Pick(strings), Pick(strings), Pick(strings), _random.Next(3) - 1))
            .Append(new Function(""))
            .ToArray();
        var locations = Enumerable.Range(0, 1 + _random.Next(30))
            .Select(_ => new Location(
                _random.Next(4) == 0 ? null : Pick(mappings),
                (ulong)_random.Next(3) * (ulong)_random.NextInt64(),
                [.. Enumerable.Range(0, _random.Next(3)).Select(_ => new Line(_random.Next(5) == 0 ? null : Pick(functions), _random.Next(100), _random.Next(3)))],
                Attributes(attributes)))
            .Append(new Location(null, 0))
            .ToArray();
        var stacks = Enumerable.Range(0, 1 + _random.Next(10))
            .Select(_ => new Stack([.. Enumerable.Range(0, _random.Next(8)).Select(_ => Pick(locations))]))
            .ToArray();
        Link?[] links =
        [
            null,
            new Link([], []),
            new Link(new byte[16].ToImmutableArray(), new byte[8].ToImmutableArray()),
            new Link(Bytes(16), Bytes(8)),
            new Link(Bytes(16), Bytes(8)),
        ];

        var batch = new ProfileBatch();
        for (var r = _random.Next(4); r > 0; r--)
        {
            var resourceProfiles = new ResourceProfiles { SchemaUrl = Pick(strings), Resource = _random.Next(4) == 0 ? null : Resource(strings) };
            for (var s = _random.Next(3); s > 0; s--)
            {
                var scopeProfiles = new ScopeProfiles
                {
                    SchemaUrl = Pick(strings),
                    Scope = _random.Next(4) == 0 ? null : new InstrumentationScope
                    {
                        Name = Pick(strings),
                        Version = Pick(strings),
                        Attributes = KeyValues(strings),
                        DroppedAttributesCount = (uint)_random.Next(3),
                    },
                };
                for (var p = _random.Next(3); p > 0; p--) scopeProfiles.Profiles.Add(Profile(strings, attributes, stacks, links));
                resourceProfiles.ScopeProfiles.Add(scopeProfiles);
            }
            batch.ResourceProfiles.Add(resourceProfiles);
        }
        return batch;
    }

    private Profile Profile(string[] strings, KeyValueAndUnit[] attributes, Stack[] stacks, Link?[] links)
    {
        var profile = new Profile
        {
            SampleType = _random.Next(4) == 0 ? null : new Collector.Core.Model.ValueType(Pick(strings), Pick(strings)),
            PeriodType = _random.Next(4) == 0 ? null : new Collector.Core.Model.ValueType(Pick(strings), Pick(strings)),
            Period = _random.NextInt64(),
            TimeUnixNano = (ulong)_random.NextInt64(),
            DurationNano = (ulong)_random.Next(),
            ProfileId = _random.Next(2) == 0 ? [] : Bytes(16),
            DroppedAttributesCount = (uint)_random.Next(3),
            OriginalPayloadFormat = Pick(strings),
            OriginalPayload = Bytes(_random.Next(4)),
            Attributes = Attributes(attributes),
        };
        for (var i = _random.Next(20); i > 0; i--)
        {
            var sample = new Sample(Pick(stacks)) { Attributes = Attributes(attributes), Link = Pick(links) };
            for (var v = _random.Next(3); v > 0; v--) sample.Values.Add(_random.NextInt64() - (long.MaxValue / 2));
            for (var t = _random.Next(3); t > 0; t--) sample.TimestampsUnixNano.Add((ulong)_random.NextInt64());
            profile.Samples.Add(sample);
        }
        return profile;
    }

    private Resource Resource(string[] strings) => new()
    {
        Attributes = KeyValues(strings),
        DroppedAttributesCount = (uint)_random.Next(3),
        EntityRefs = [.. Enumerable.Range(0, _random.Next(2)).Select(_ => new EntityRef(Pick(strings), Pick(strings), [Pick(strings)], []))],
    };

    private List<KeyValue> KeyValues(string[] strings) =>
        [.. Enumerable.Range(0, _random.Next(4)).Select(i => new KeyValue($"key.{i}", _random.Next(5) == 0 ? null : Value(strings, 2), _random.Next(2) == 0))];

    /// <summary>Distinct keys, as OTLP requires within one attribute list.</summary>
    private ImmutableArray<KeyValueAndUnit> Attributes(KeyValueAndUnit[] pool)
    {
        var count = _random.Next(4);
        var chosen = new List<KeyValueAndUnit>();
        for (var i = 0; i < count; i++)
        {
            var candidate = Pick(pool);
            if (!chosen.Exists(a => a.Key == candidate.Key)) chosen.Add(candidate);
        }
        return [.. chosen];
    }

    private AnyValue Value(string[] strings, int depth) => _random.Next(depth > 0 ? 9 : 7) switch
    {
        0 => AnyValue.String(Pick(strings)),
        1 => AnyValue.String(Pick(strings), byReference: true),
        2 => AnyValue.Bool(_random.Next(2) == 0),
        3 => AnyValue.Int(_random.NextInt64() - (long.MaxValue / 2)),
        4 => AnyValue.Double(_random.Next(5) == 0 ? double.NaN : _random.NextDouble() * 1e6),
        5 => AnyValue.Bytes(Bytes(_random.Next(5))),
        6 => AnyValue.Empty,
        7 => AnyValue.Array([.. Enumerable.Range(0, _random.Next(3)).Select(_ => Value(strings, depth - 1))]),
        _ => AnyValue.KeyValueList([.. Enumerable.Range(0, _random.Next(3)).Select(i => new KeyValue($"k{i}", Value(strings, depth - 1), _random.Next(2) == 0))]),
    };

    private ImmutableArray<byte> Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return [.. bytes];
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
