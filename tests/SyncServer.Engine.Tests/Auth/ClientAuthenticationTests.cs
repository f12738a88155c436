using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task With_a_required_method_other_credential_types_get_43_even_when_another_method_accepts_them()
    {
        var auth = new ClientAuthentication([new Fixed(CredentialType.None, "none"), new Fixed(CredentialType.JwtId, "jwt", required: true)], NullLoggerFactory.Instance);

        var other = await auth.AuthenticateAsync(CredentialType.None, ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None);
        var requiredOne = await auth.AuthenticateAsync(CredentialType.JwtId, new byte[] { 1 }, Context, CancellationToken.None);

        Assert.Equal(LoginResultCode.CredentialsRejected, other.Code);
        Assert.Contains("a required method must be used (jwt)", other.Reason, StringComparison.Ordinal);
        Assert.True(requiredOne.IsOk);
    }

    [Fact]
    public async Task Without_required_methods_any_configured_method_is_enough()
    {
        var auth = new ClientAuthentication([new Fixed(CredentialType.None, "none"), new Fixed(CredentialType.JwtId, "jwt")], NullLoggerFactory.Instance);

        Assert.True((await auth.AuthenticateAsync(CredentialType.None, ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None)).IsOk);
        Assert.True((await auth.AuthenticateAsync(CredentialType.JwtId, new byte[] { 1 }, Context, CancellationToken.None)).IsOk);
    }

    [Fact]
    public async Task After_too_many_failures_an_address_is_refused_with_40_without_checking_until_the_block_ends()
    {
        var time = new FakeTimeProvider();
        var checker = new Fixed(CredentialType.JwtId, "jwt", acceptedFirstByte: 1);
        var auth = new ClientAuthentication([checker], NullLoggerFactory.Instance,
            new LoginThrottle(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), time));
        var attacker = new AuthContext("198.51.100.9:4000", [1]);
        var neighbour = new AuthContext("198.51.100.10:4000", [2]);
        Task<AuthResult> Login(AuthContext context, byte credential) =>
            auth.AuthenticateAsync(CredentialType.JwtId, new[] { credential }, context, CancellationToken.None).AsTask();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LoginResultCode.CredentialsRejected, (await Login(attacker, 0)).Code);
        }

        var checks = checker.Checks;
        var blocked = await Login(attacker with { RemoteAddress = "198.51.100.9:4001" }, 1); // right credentials, new port
        Assert.Equal(LoginResultCode.RequestRejected, blocked.Code);
        Assert.Equal(checks, checker.Checks); // not even checked
        Assert.True((await Login(neighbour, 1)).IsOk);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await Login(attacker, 1)).IsOk);
    }

    [Fact]
    public async Task Failures_older_than_the_window_do_not_count()
    {
        var time = new FakeTimeProvider();
        var auth = new ClientAuthentication([new Fixed(CredentialType.JwtId, "jwt", acceptedFirstByte: 1)], NullLoggerFactory.Instance,
            new LoginThrottle(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), time));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(LoginResultCode.CredentialsRejected, (await auth.AuthenticateAsync(CredentialType.JwtId, new byte[] { 0 }, Context, CancellationToken.None)).Code);
            time.Advance(TimeSpan.FromSeconds(31));
        }
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1")]
    [InlineData("::ffff:10.0.0.1:5000", "10.0.0.1")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd:443", "2001:db8:1:2::/64")]
    [InlineData("[2001:db8:1:2::9]:443", "2001:db8:1:2::/64")]
    [InlineData("::1:5000", "::/64")]
    public void Failures_are_counted_per_IP_and_per_IPv6_64_network(string remote, string key)
    {
        Assert.Equal(key, new AuthContext(remote, [1]).ThrottleKey);
    }

    private sealed class Fixed(CredentialType type, string name, bool required = false, byte acceptedFirstByte = 1) : IClientAuthenticator
    {
        private int _checks;

        public int Checks => _checks;

        public string Name => name;

        public bool IsRequired => required;

        public bool Accepts(CredentialType t) => t == type;

        public ValueTask<AuthResult> AuthenticateAsync(CredentialType t, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct)
        {
            Interlocked.Increment(ref _checks);
            return ValueTask.FromResult(credentials.IsEmpty || credentials.Span[0] == acceptedFirstByte ? AuthResult.Ok : AuthResult.Rejected("no"));
        }
    }

    private sealed class Failing : IClientAuthenticator
    {
        public bool Accepts(CredentialType type) => true;

        public ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct) =>
            throw new HttpRequestException("key server down");
    }
}
