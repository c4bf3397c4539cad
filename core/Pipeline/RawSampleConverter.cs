using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Core.Pipeline;

/// <summary>
/// The one place where raw kernel samples become profiles for components that do not take them raw: the pipeline
/// graph puts it in front of the exporters and in front of the first processor whose capabilities say
/// <see cref="RawSampleHandling.Converted"/>. Exporters and such processors therefore never see
/// <see cref="ProfileBatch.Raw"/>. Batches without raw samples pass through untouched.
/// </summary>
internal sealed class RawSampleConverter(IProfilesConsumer next) : IProfilesConsumer
{
    /// <summary>It replaces the raw samples with profiles, so a fan-out in front of it must give it its own copy.</summary>
    public bool MutatesData => true;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Raw is { } raw)
        {
            batch.ResourceProfiles.AddRange(RawSampleConversion.ToResourceProfiles(raw));
            batch.Raw = null;
        }
        return next.ConsumeAsync(batch, cancellationToken);
    }
}
