using System.Text;
using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>What the client presents in LOGIN to prove who it is (docs/auth.md). Immutable.</summary>
/// <param name="Type">The credential type; the server must have an authenticator for it.</param>
/// <param name="Data">The credential bytes (a token; for <see cref="CredentialType.SharedSecret"/> the secret, which is
/// never sent: LOGIN carries a proof computed from the server's challenge), empty for <see cref="CredentialType.None"/>.</param>
public sealed record SyncCredentials(CredentialType Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>No credentials: accepted only by a server started with --unsecured-no-authentication.</summary>
    public static SyncCredentials None { get; } = new(CredentialType.None, ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// The server's <c>auth.sharedSecret</c>. The secret stays on this device: before LOGIN the client asks the server for a
    /// fresh challenge (HELLO, CHALLENGE) and sends HMAC-SHA256(secret, challenge ‖ client ID) instead.
    /// </summary>
    public static SyncCredentials SharedSecret(string secret) => FromText(CredentialType.SharedSecret, secret);

    /// <summary>A Google ID token (server: <c>auth.google</c>).</summary>
    public static SyncCredentials GoogleAuth(string token) => FromText(CredentialType.GoogleAuth, token);

    /// <summary>A JWT ID token (server: <c>auth.jwt</c>).</summary>
    public static SyncCredentials JwtId(string token) => FromText(CredentialType.JwtId, token);

    /// <summary>A JWT access token (server: <c>auth.jwt</c>).</summary>
    public static SyncCredentials JwtAccess(string token) => FromText(CredentialType.JwtAccess, token);

    /// <summary>A JWT refresh token (server: <c>auth.jwt</c> with <c>"tokenTypes"</c> including "refresh").</summary>
    public static SyncCredentials JwtRefresh(string token) => FromText(CredentialType.JwtRefresh, token);

    /// <summary>A custom JWT (server: <c>auth.jwt</c>).</summary>
    public static SyncCredentials JwtCustom(string token) => FromText(CredentialType.JwtCustom, token);

    /// <summary>An admin UI user's name and password (server: <c>auth.obxAdmin</c>); the password is sent as it is, so use wss://.</summary>
    public static SyncCredentials ObxAdminUser(string userName, string password) =>
        new(CredentialType.ObxAdminUser, AdminUserCredentials.Encode(userName, password));

    /// <summary>Whether LOGIN needs the server's CHALLENGE first (HELLO before LOGIN).</summary>
    internal bool NeedsChallenge => Type == CredentialType.SharedSecret;

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"{Type} ({Data.Length} bytes)";

    /// <summary>The credentials field of LOGIN on a connection whose CHALLENGE carried <paramref name="challenge"/>.</summary>
    internal byte[] ForLogin(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> clientId) =>
        NeedsChallenge ? SharedSecretProof.Compute(Data.Span, challenge, clientId) : Data.ToArray();

    private static SyncCredentials FromText(CredentialType type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SyncCredentials(type, Encoding.UTF8.GetBytes(text));
    }
}
