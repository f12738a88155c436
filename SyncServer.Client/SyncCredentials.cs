using System.Text;
using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>What the client sends in LOGIN to prove who it is. Immutable.</summary>
/// <param name="Type">The credential type; the server must have an authenticator for it.</param>
/// <param name="Data">The credential bytes (a secret, a token), empty for <see cref="CredentialType.None"/>.</param>
public sealed record SyncCredentials(CredentialType Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>No credentials: accepted only by a server started with --unsecured-no-authentication.</summary>
    public static SyncCredentials None { get; } = new(CredentialType.None, ReadOnlyMemory<byte>.Empty);

    public static SyncCredentials SharedSecret(string secret) => FromText(CredentialType.SharedSecret, secret);

    public static SyncCredentials GoogleAuth(string token) => FromText(CredentialType.GoogleAuth, token);

    public static SyncCredentials JwtId(string token) => FromText(CredentialType.JwtId, token);

    public static SyncCredentials JwtAccess(string token) => FromText(CredentialType.JwtAccess, token);

    public static SyncCredentials JwtRefresh(string token) => FromText(CredentialType.JwtRefresh, token);

    public static SyncCredentials JwtCustom(string token) => FromText(CredentialType.JwtCustom, token);

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"{Type} ({Data.Length} bytes)";

    private static SyncCredentials FromText(CredentialType type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SyncCredentials(type, Encoding.UTF8.GetBytes(text));
    }
}
