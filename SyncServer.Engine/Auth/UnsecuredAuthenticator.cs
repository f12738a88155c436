using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

// Singleton, thread-safe: stateless.
/// <summary>
/// Accepts every client that sends credential type NONE, without any check. Registered only with
/// --unsecured-no-authentication (development).
/// </summary>
internal sealed class UnsecuredAuthenticator : IClientAuthenticator
{
    public string Name => "unsecuredNoAuthentication";

    public bool Accepts(CredentialType type) => type == CredentialType.None;

    public ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct) =>
        ValueTask.FromResult(type == CredentialType.None ? AuthResult.Ok : AuthResult.Rejected($"credential type {type} is not NONE"));
}
