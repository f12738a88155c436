using System.Security.Cryptography;
using System.Text;

namespace SyncServer.Core.Protocol;

/// <summary>
/// The credentials of a <see cref="CredentialType.SharedSecret"/> LOGIN: proof that the client knows the secret, without
/// sending it. The key is the secret's UTF-8 bytes; the message is the connection's CHALLENGE nonce followed by the
/// LOGIN's client ID:
/// <code>
/// credentials = HMAC-SHA256(key = UTF-8(secret), message = nonce[32] ‖ clientId[1..64])   (32 bytes)
/// </code>
/// Binding the client ID means a proof cannot be reused for another client ID, and the nonce (fresh per connection) means
/// it cannot be replayed on another connection.
/// </summary>
public static class SharedSecretProof
{
    public const int Length = HMACSHA256.HashSizeInBytes;

    public static byte[] Compute(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> clientId)
    {
        var message = new byte[nonce.Length + clientId.Length];
        nonce.CopyTo(message);
        clientId.CopyTo(message.AsSpan(nonce.Length));
        return HMACSHA256.HashData(secret, message);
    }

    public static byte[] Compute(string secret, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> clientId) =>
        Compute(Encoding.UTF8.GetBytes(secret), nonce, clientId);

    /// <summary>Whether <paramref name="proof"/> is right, compared in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> clientId, ReadOnlySpan<byte> proof) =>
        proof.Length == Length && CryptographicOperations.FixedTimeEquals(Compute(secret, nonce, clientId), proof);
}
