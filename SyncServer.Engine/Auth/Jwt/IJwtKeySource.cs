using Microsoft.IdentityModel.Tokens;

namespace SyncServer.Engine.Auth.Jwt;

/// <summary>Where a JWT authenticator gets its verification keys. Implementations are thread-safe.</summary>
internal interface IJwtKeySource
{
    /// <summary>The keys to verify a token with key ID <paramref name="keyId"/> (null when the token names none).</summary>
    /// <exception cref="JwtKeysUnavailableException">The keys cannot be had (key URL unreachable, or it served garbage).</exception>
    ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? keyId, CancellationToken ct);
}
