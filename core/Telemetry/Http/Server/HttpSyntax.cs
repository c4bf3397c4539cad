using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Collector.Core.Telemetry.Http.Server;

/// <summary>The pieces of RFC 9110 syntax that both the request parser and the response side check against.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: what a method or a field name may consist of.</summary>
    private const string Token = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static readonly SearchValues<byte> TokenBytes = SearchValues.Create(Encoding.ASCII.GetBytes(Token));

    public static readonly SearchValues<char> TokenChars = SearchValues.Create(Token);

    /// <summary>Whether a comma-separated header (e.g. <c>Connection: keep-alive, Upgrade</c>) lists a token, in any case.</summary>
    public static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is null) continue;
            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }
}
