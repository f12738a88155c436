using Microsoft.IdentityModel.Tokens;

namespace SyncServer.Engine.Auth.Jwt;

// Singleton, thread-safe: the current key set is an immutable snapshot swapped atomically; fetches are serialised by a
// semaphore, so many logins arriving with a stale cache cause one fetch.
/// <summary>
/// Keys fetched from a URL (<c>publicKeyUrl</c>) and cached for the configured time. A token whose key ID is not in the
/// cache triggers one early fetch (key rotation), at most once per <see cref="MinUnknownKeyRefreshInterval"/> so that
/// tokens with made-up key IDs cannot make the server hammer the key URL.
/// </summary>
internal sealed class UrlJwtKeySource(Uri url, TimeSpan cacheExpiration, HttpClient http, TimeProvider time) : IJwtKeySource, IDisposable
{
    public const int MaxResponseBytes = 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private long? _lastUnknownKeyRefresh;

    /// <summary>The least time between two fetches caused by unknown key IDs.</summary>
    public TimeSpan MinUnknownKeyRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? keyId, CancellationToken ct)
    {
        var snapshot = _current;
        var fresh = false;
        if (snapshot is null || time.GetElapsedTime(snapshot.FetchedAt) >= cacheExpiration)
        {
            snapshot = await RefreshAsync(snapshot, unknownKey: false, ct).ConfigureAwait(false);
            fresh = true;
        }

        if (!fresh && keyId is not null && snapshot.HasKeyIds && !snapshot.Keys.Any(k => k.KeyId == keyId))
        {
            snapshot = await RefreshAsync(snapshot, unknownKey: true, ct).ConfigureAwait(false);
        }

        return snapshot.Keys;
    }

    private async Task<Snapshot> RefreshAsync(Snapshot? seen, bool unknownKey, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = _current;
            if (current is not null && !ReferenceEquals(current, seen))
            {
                return current; // another login fetched while this one waited
            }

            if (unknownKey)
            {
                if (current is not null && _lastUnknownKeyRefresh is { } last && time.GetElapsedTime(last) < MinUnknownKeyRefreshInterval)
                {
                    return current; // refreshed for an unknown key moments ago: the token's key ID is not there
                }

                _lastUnknownKeyRefresh = time.GetTimestamp();
            }

            var keys = JwtKeyParserFetch(await FetchAsync(ct).ConfigureAwait(false));
            var snapshot = new Snapshot(keys, time.GetTimestamp(), keys.Any(k => k.KeyId is not null));
            _current = snapshot;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private IReadOnlyList<SecurityKey> JwtKeyParserFetch(string text)
    {
        try
        {
            return JwtKeyParser.Parse(text);
        }
        catch (FormatException e)
        {
            throw new JwtKeysUnavailableException($"the key URL {url} served no usable keys: {e.Message}", e);
        }
    }

    private async Task<string> FetchAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new JwtKeysUnavailableException($"the key URL {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                throw new JwtKeysUnavailableException($"the key URL {url} served more than {MaxResponseBytes} bytes");
            }

            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return body.Length <= MaxResponseBytes
                ? body
                : throw new JwtKeysUnavailableException($"the key URL {url} served more than {MaxResponseBytes} bytes");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new JwtKeysUnavailableException($"the key URL {url} is unreachable: {e.Message}", e);
        }
    }

    /// <summary>Disposes the HTTP client too: the source owns it.</summary>
    public void Dispose()
    {
        _gate.Dispose();
        http.Dispose();
    }

    private sealed record Snapshot(IReadOnlyList<SecurityKey> Keys, long FetchedAt, bool HasKeyIds);
}
