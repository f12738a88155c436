using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Protocol;

namespace SyncServer.Core.Tests.Protocol;

/// <summary>The byte layouts of shared-secret proofs and admin user credentials (docs/protocol.md).</summary>
public sealed class CredentialEncodingTests
{
    private static readonly byte[] Nonce = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] ClientId = [0xCA, 0xFE];

    [Fact]
    public void The_shared_secret_proof_is_HMAC_SHA256_of_nonce_then_client_ID_keyed_with_the_secret()
    {
        var proof = SharedSecretProof.Compute("s3cret", Nonce, ClientId);

        Assert.Equal(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Nonce.Concat(ClientId).ToArray()), proof);
        Assert.True(SharedSecretProof.Verify("s3cret"u8, Nonce, ClientId, proof));
        Assert.False(SharedSecretProof.Verify("s3cret!"u8, Nonce, ClientId, proof));
        Assert.False(SharedSecretProof.Verify("s3cret"u8, [.. Nonce.Reverse()], ClientId, proof));
        Assert.False(SharedSecretProof.Verify("s3cret"u8, Nonce, [0xCA, 0xFF], proof));
        Assert.False(SharedSecretProof.Verify("s3cret"u8, Nonce, ClientId, proof.AsSpan(0, 31)));
    }

    [Fact]
    public void Admin_user_credentials_are_two_length_prefixed_UTF8_strings()
    {
        var bytes = AdminUserCredentials.Encode("ädmin", "pw");

        Assert.Equal(new byte[] { 6, 0, 0, 0, 0xC3, 0xA4, (byte)'d', (byte)'m', (byte)'i', (byte)'n', 2, 0, 0, 0, (byte)'p', (byte)'w' }, bytes);
        Assert.True(AdminUserCredentials.TryDecode(bytes, out var name, out var password));
        Assert.Equal(("ädmin", "pw"), (name, password));
    }

    [Theory]
    [InlineData("")]
    [InlineData("01000000")]                 // name length 1, no name
    [InlineData("0000000000000000")]         // empty name
    [InlineData("01000000FF00000000")]       // name not UTF-8
    [InlineData("010000006100000000FF")]     // trailing byte
    public void Malformed_admin_user_credentials_are_refused(string hex)
    {
        Assert.False(AdminUserCredentials.TryDecode(Convert.FromHexString(hex), out _, out _));
    }
}
