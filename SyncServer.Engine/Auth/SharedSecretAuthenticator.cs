using System.Text;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

// Singleton, thread-safe: immutable.
/// <summary>
/// <see cref="CredentialType.SharedSecret"/>: the credentials are <see cref="SharedSecretProof"/> over this connection's
/// CHALLENGE nonce and the client ID, compared in constant time. The secret itself never crosses the wire.
/// </summary>
internal sealed class SharedSecretAuthenticator(SharedSecretAuthOptions options) : IClientAuthenticator
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Secret);

    public string Name => "sharedSecret";

    public bool IsRequired => options.Required;

    public bool Accepts(CredentialType type) => type == CredentialType.SharedSecret;

    public ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Challenge.Length != MessageCodec.ChallengeLength)
        {
            return Result(AuthResult.Rejected("no CHALLENGE was sent on this connection (the client must send HELLO before a shared-secret LOGIN)"));
        }

        if (credentials.Length != SharedSecretProof.Length)
        {
            return Result(AuthResult.Rejected($"the shared-secret proof must be {SharedSecretProof.Length} bytes, got {credentials.Length}"));
        }

        return Result(SharedSecretProof.Verify(_secret, context.Challenge.Span, context.ClientId, credentials.Span)
            ? AuthResult.Ok
            : AuthResult.Rejected("wrong shared secret (the proof does not match)"));
    }

    private static ValueTask<AuthResult> Result(AuthResult result) => ValueTask.FromResult(result);
}
