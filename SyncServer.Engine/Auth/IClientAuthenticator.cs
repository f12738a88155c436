using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

/// <summary>
/// One way a client can prove who it is at LOGIN (no authentication, shared secret, JWT, ...). Implementations are
/// singletons and must be thread-safe: many sessions log in at once.
/// </summary>
public interface IClientAuthenticator
{
    /// <summary>The method's name as the config file's <c>auth</c> section spells it ("sharedSecret", "jwt", ...), for logs.</summary>
    string Name => GetType().Name;

    /// <summary>
    /// Whether the method is marked <c>required</c>. As soon as one configured method is, a LOGIN must use a credential type
    /// of a required method; others get 43 even when another method would accept them (docs/auth.md).
    /// </summary>
    bool IsRequired => false;

    /// <summary>Whether this authenticator checks credentials of <paramref name="type"/>.</summary>
    bool Accepts(CredentialType type);

    /// <summary>Checks one client's credentials; called only for a type this authenticator <see cref="Accepts"/>.</summary>
    /// <returns><see cref="LoginResultCode.Ok"/>, or the LOGIN_RESULT code to refuse with (43 CREDENTIALS_REJECTED,
    /// 53 AUTH_UNREACHABLE when an external authority cannot be asked) and a reason for the debug log.</returns>
    ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct);
}
