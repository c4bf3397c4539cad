using System.Globalization;
using System.Text;
using Collector.Core.Model;

namespace Collector.Exporters.Debug;

/// <summary>Writes everything a batch holds, one item per line, indented by nesting: for reading by a person.</summary>
internal static class DetailedWriter
{
    public static void Append(StringBuilder output, List<ResourceProfiles> content)
    {
        for (var r = 0; r < content.Count; r++)
        {
            var resourceProfiles = content[r];
            Line(output, 0, $"resource #{r}{SchemaUrl(resourceProfiles.SchemaUrl)}");
            if (resourceProfiles.Resource is { } resource)
            {
                foreach (var attribute in resource.Attributes) Line(output, 2, $"{attribute.Key}={attribute.Value}");
            }
            for (var s = 0; s < resourceProfiles.ScopeProfiles.Count; s++)
            {
                var scopeProfiles = resourceProfiles.ScopeProfiles[s];
                var scope = scopeProfiles.Scope;
                Line(output, 2, $"scope #{s} {scope?.Name} {scope?.Version}{SchemaUrl(scopeProfiles.SchemaUrl)}");
                for (var p = 0; p < scopeProfiles.Profiles.Count; p++) AppendProfile(output, p, scopeProfiles.Profiles[p]);
            }
        }
    }

    private static void AppendProfile(StringBuilder output, int index, Profile profile)
    {
        Line(output, 4, $"profile #{index} sample_type={profile.SampleType} period={profile.Period} {profile.PeriodType} " +
            $"time={UnixNanos(profile.TimeUnixNano)} duration={profile.DurationNano}ns samples={profile.Samples.Count}");
        foreach (var attribute in profile.Attributes) Line(output, 6, attribute.ToString());
        for (var i = 0; i < profile.Samples.Count; i++)
        {
            var sample = profile.Samples[i];
            var link = sample.Link is null ? "" : $" link={sample.Link}";
            Line(output, 6, $"sample #{i} weight={sample.Weight} values=[{string.Join(',', sample.Values)}] timestamps={sample.TimestampsUnixNano.Count}{link}");
            foreach (var attribute in sample.Attributes) Line(output, 8, attribute.ToString());
            var locations = sample.Stack.Locations;
            if (locations.Length == 0) Line(output, 8, "<no frames>");
            for (var f = 0; f < locations.Length; f++) AppendFrame(output, f, locations[f]);
        }
    }

    /// <summary>
    /// <c>#3 main main.c:12 0x401136 /usr/bin/app</c>. An inlined location prints one line per function,
    /// innermost first, the callers it was inlined into marked with <c>(inlined into)</c> lines after it.
    /// </summary>
    private static void AppendFrame(StringBuilder output, int index, Location location)
    {
        var frame = new StringBuilder();
        frame.Append(CultureInfo.InvariantCulture, $"#{index} ");
        if (FrameNames.IsKernel(location)) frame.Append("[kernel] ");
        AppendLine(frame, location.Lines.Length > 0 ? location.Lines[0] : null);
        frame.Append(' ');
        FrameNames.AppendAddress(frame, location.Address);
        if (location.Mapping is { } mapping) frame.Append(' ').Append(mapping.Filename.Length > 0 ? mapping.Filename : "<unnamed mapping>");
        foreach (var attribute in location.Attributes)
        {
            if (attribute.Key != "profile.frame.type") frame.Append(' ').Append(attribute);
        }
        Line(output, 8, frame.ToString());
        for (var l = 1; l < location.Lines.Length; l++)
        {
            var caller = new StringBuilder("(inlined into) ");
            AppendLine(caller, location.Lines[l]);
            Line(output, 10, caller.ToString());
        }
    }

    private static void AppendLine(StringBuilder frame, Core.Model.Line? line)
    {
        var name = line?.Function?.ToString();
        frame.Append(string.IsNullOrEmpty(name) ? "<unsymbolized>" : name);
        if (line?.Function is { Filename.Length: > 0 } function)
        {
            frame.Append(' ').Append(function.Filename);
            if (line.LineNumber > 0) frame.Append(':').Append(line.LineNumber.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string SchemaUrl(string url) => url.Length == 0 ? "" : $" schema_url={url}";

    private static string UnixNanos(ulong nanos)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + (nanos % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }

    private static void Line(StringBuilder output, int indent, string text) => output.Append(' ', indent).Append(text).Append('\n');
}
