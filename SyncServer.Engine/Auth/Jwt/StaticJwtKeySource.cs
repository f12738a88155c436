using Microsoft.IdentityModel.Tokens;

namespace SyncServer.Engine.Auth.Jwt;

// Singleton, thread-safe: immutable.
/// <summary>Keys given inline (<c>auth.jwt.publicKey</c>), parsed once.</summary>
internal sealed class StaticJwtKeySource(IReadOnlyList<SecurityKey> keys) : IJwtKeySource
{
    public ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? keyId, CancellationToken ct) => ValueTask.FromResult(keys);
}
