using System.Security.Cryptography;
using System.Text;
using Collector.Core.Components;
using Collector.Core.Extensions;
using Microsoft.Extensions.Logging;

namespace Collector.Extensions.BearerTokenAuth;

/// <summary>
/// Accepts a request whose <c>authorization</c> header is exactly <c>{scheme} {token}</c>. The comparison
/// is between SHA-256 digests in constant time, so neither the token's content nor its length leaks through
/// response timing. A token file is checked for changes at most once a second and re-read when it changed.
/// </summary>
public sealed class BearerTokenAuthExtension : IExtension, IServerAuthenticator
{
    private static readonly TimeSpan FileCheckInterval = TimeSpan.FromSeconds(1);

    private readonly BearerTokenAuthOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _reloadGate = new();
    private volatile Expected? _expected;

    public BearerTokenAuthExtension(ComponentCreateSettings settings, BearerTokenAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = settings.CreateLogger();
        _time = settings.TimeProvider;
    }

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        if (_options.Filename.Length == 0)
        {
            _expected = new Expected(Digest(_options.Token), FileStamp.None, 0);
            return Task.CompletedTask;
        }
        // A token file that cannot be read at start is a configuration error: refuse to start rather than
        // run a receiver that rejects every request.
        var stamp = FileStamp.Of(_options.Filename);
        var token = ReadToken(_options.Filename);
        _expected = new Expected(Digest(token), stamp, _time.GetTimestamp() + Ticks(FileCheckInterval));
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public string? Authenticate(IRequestHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var expected = Current() ?? throw new InvalidOperationException("bearertokenauth was used before it started");
        var value = headers.First("authorization");
        if (string.IsNullOrEmpty(value)) return "missing or empty authorization header";
        var received = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        return CryptographicOperations.FixedTimeEquals(received, expected.Digest) ? null : "scheme or token does not match";
    }

    private Expected? Current()
    {
        var expected = _expected;
        if (expected is null || _options.Filename.Length == 0 || _time.GetTimestamp() < expected.NextCheck) return expected;
        lock (_reloadGate)
        {
            expected = _expected!;
            var now = _time.GetTimestamp();
            if (now < expected.NextCheck) return expected;
            var next = now + Ticks(FileCheckInterval);
            try
            {
                var stamp = FileStamp.Of(_options.Filename);
                if (stamp == expected.Stamp)
                {
                    expected = expected with { NextCheck = next };
                }
                else
                {
                    expected = new Expected(Digest(ReadToken(_options.Filename)), stamp, next);
                    _logger.TokenReloaded(_options.Filename);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A file being replaced can be missing or empty for a moment; the old token stays valid meanwhile.
                _logger.ReloadFailed(_options.Filename, error.Message);
                expected = expected with { NextCheck = next };
            }
            _expected = expected;
            return expected;
        }
    }

    private byte[] Digest(string token)
    {
        var header = _options.Scheme.Length == 0 ? token : _options.Scheme + " " + token;
        return SHA256.HashData(Encoding.UTF8.GetBytes(header));
    }

    private static string ReadToken(string path)
    {
        var token = File.ReadAllText(path).Trim();
        if (token.Length == 0) throw new InvalidOperationException($"token file {path} is empty");
        return token;
    }

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * _time.TimestampFrequency);

    private sealed record Expected(byte[] Digest, FileStamp Stamp, long NextCheck);

    /// <summary>What tells a rewritten file apart: its modification time and length.</summary>
    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp None => default;

        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new FileNotFoundException($"token file {path} does not exist", path);
            return new FileStamp(info.LastWriteTimeUtc, info.Length);
        }
    }
}
