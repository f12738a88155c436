using System.Security.Cryptography;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;

namespace SyncServer.Engine.Tests.Auth;

public sealed class SharedSecretAuthenticatorTests
{
    private static readonly byte[] ClientId = [7, 7, 7];
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(MessageCodec.ChallengeLength);
    private readonly SharedSecretAuthenticator _auth = new(new SharedSecretAuthOptions("correct horse battery staple"));

    private Task<AuthResult> Check(byte[] proof, byte[]? nonce = null, byte[]? clientId = null) =>
        _auth.AuthenticateAsync(CredentialType.SharedSecret, proof, new AuthContext("127.0.0.1:1", clientId ?? ClientId) { Challenge = nonce ?? Nonce },
            CancellationToken.None).AsTask();

    [Fact]
    public async Task The_proof_over_this_connections_nonce_is_accepted()
    {
        var result = await Check(SharedSecretProof.Compute("correct horse battery staple", Nonce, ClientId));

        Assert.True(result.IsOk);
    }

    [Fact]
    public async Task A_wrong_secret_another_nonce_another_client_ID_or_the_secret_itself_are_rejected()
    {
        var wrongSecret = await Check(SharedSecretProof.Compute("correct horse battery stapler", Nonce, ClientId));
        var replayed = await Check(SharedSecretProof.Compute("correct horse battery staple", Nonce, ClientId), nonce: RandomNumberGenerator.GetBytes(32));
        var otherClient = await Check(SharedSecretProof.Compute("correct horse battery staple", Nonce, ClientId), clientId: [8]);
        var plain = await Check("correct horse battery staple"u8.ToArray());

        Assert.All([wrongSecret, replayed, otherClient, plain], r => Assert.Equal(LoginResultCode.CredentialsRejected, r.Code));
        Assert.Contains("wrong shared secret", wrongSecret.Reason, StringComparison.Ordinal);
        Assert.Contains("must be 32 bytes", plain.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_challenge_on_the_connection_nothing_is_accepted()
    {
        var result = await _auth.AuthenticateAsync(CredentialType.SharedSecret, SharedSecretProof.Compute("correct horse battery staple", [], ClientId),
            new AuthContext("127.0.0.1:1", ClientId), CancellationToken.None);

        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
        Assert.Contains("HELLO", result.Reason, StringComparison.Ordinal);
    }
}
