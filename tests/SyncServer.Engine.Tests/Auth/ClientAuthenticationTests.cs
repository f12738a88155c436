using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;

namespace SyncServer.Engine.Tests.Auth;

public sealed class ClientAuthenticationTests
{
    private static readonly AuthContext Context = new("127.0.0.1:5000", [1, 2, 3]);

    [Fact]
    public async Task The_unsecured_authenticator_accepts_credential_type_NONE()
    {
        var auth = new ClientAuthentication([new UnsecuredAuthenticator()], NullLoggerFactory.Instance);

        var result = await auth.AuthenticateAsync(CredentialType.None, ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None);

        Assert.True(result.IsOk);
        Assert.True(auth.IsConfigured);
    }

    [Theory]
    [InlineData(CredentialType.SharedSecret, "SharedSecret is not enabled")]
    [InlineData((CredentialType)99, "unknown credential type 99")]
    public async Task A_credential_type_no_authenticator_accepts_is_CREDENTIALS_REJECTED(CredentialType type, string reason)
    {
        var auth = new ClientAuthentication([new UnsecuredAuthenticator()], NullLoggerFactory.Instance);

        var result = await auth.AuthenticateAsync(type, new byte[] { 1 }, Context, CancellationToken.None);

        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_authenticator_configured_everything_is_rejected()
    {
        var auth = new ClientAuthentication([], NullLoggerFactory.Instance);

        var result = await auth.AuthenticateAsync(CredentialType.None, ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None);

        Assert.False(auth.IsConfigured);
        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
    }

    [Fact]
    public async Task An_authenticator_that_fails_makes_the_login_AUTH_UNREACHABLE()
    {
        var auth = new ClientAuthentication([new Failing()], NullLoggerFactory.Instance);

        var result = await auth.AuthenticateAsync(CredentialType.JwtId, new byte[] { 1 }, Context, CancellationToken.None);

        Assert.Equal(LoginResultCode.AuthUnreachable, result.Code);
    }

    private sealed class Failing : IClientAuthenticator
    {
        public bool Accepts(CredentialType type) => true;

        public ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct) =>
            throw new HttpRequestException("key server down");
    }
}
