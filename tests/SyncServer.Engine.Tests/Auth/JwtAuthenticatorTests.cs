using System.Text;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Auth.Jwt;

namespace SyncServer.Engine.Tests.Auth;

/// <summary>JWT and Google logins: acceptance and every rejection, keys inline or from a local key server.</summary>
public sealed class JwtAuthenticatorTests : IDisposable
{
    private static readonly AuthContext Context = new("127.0.0.1:5000", [1, 2, 3]);
    private readonly TestTokens _rsa = TestTokens.Rsa();
    private readonly TestTokens _ec = TestTokens.Ec();

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    private static JwtAuthOptions Options(string? publicKey = null, Uri? url = null) => new()
    {
        PublicKey = publicKey,
        PublicKeyUrl = url,
        Audiences = [TestTokens.Audience],
        Issuers = [TestTokens.Issuer],
    };

    private static Task<AuthResult> Check(JwtAuthenticator auth, string token, CredentialType type = CredentialType.JwtId) =>
        auth.AuthenticateAsync(type, Encoding.UTF8.GetBytes(token), Context, CancellationToken.None).AsTask();

    private JwtAuthenticator Inline() => AuthServiceCollectionExtensions.CreateJwt(Options(_rsa.PublicKeyPem), TimeProvider.System);

    [Fact]
    public async Task A_token_signed_with_the_configured_key_for_the_audience_and_issuer_is_accepted()
    {
        using var auth = Inline();

        Assert.True((await Check(auth, _rsa.Create())).IsOk);
        Assert.True((await Check(auth, _rsa.Create(audiences: ["other-app", TestTokens.Audience]), CredentialType.JwtAccess)).IsOk);
    }

    [Fact]
    public async Task EC_keys_and_certificates_work_as_inline_keys()
    {
        using var byKey = AuthServiceCollectionExtensions.CreateJwt(Options(_ec.PublicKeyPem), TimeProvider.System);
        using var byCertificate = AuthServiceCollectionExtensions.CreateJwt(Options(_ec.CertificatePem), TimeProvider.System);

        var key = await Check(byKey, _ec.Create());
        var certificate = await Check(byCertificate, _ec.Create());

        Assert.True(key.IsOk, key.Reason);
        Assert.True(certificate.IsOk, certificate.Reason);
    }

    public static TheoryData<string, string> Rejections() => new()
    {
        { "tampered signature", "signature" },
        { "changed payload", "signature" },
        { "alg none", "algorithm 'none' is not allowed" },
        { "HS256 with the public key", "algorithm 'HS256' is not allowed" },
        { "expired", "Lifetime" },
        { "not yet valid", "NotYetValid" },
        { "wrong audience", "Audience" },
        { "audience array without ours", "Audience" },
        { "wrong issuer", "Issuer" },
        { "other key", "signature" },
        { "not a JWT", "not a JWT" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Bad_tokens_are_CREDENTIALS_REJECTED_with_the_reason(string kind, string reason)
    {
        using var auth = Inline();
        using var other = TestTokens.Rsa();
        var now = DateTime.UtcNow;
        var token = kind switch
        {
            "tampered signature" => _rsa.CreateTampered(),
            "changed payload" => _rsa.CreateWithChangedPayload(),
            "alg none" => _rsa.CreateUnsigned(),
            "HS256 with the public key" => _rsa.CreateHs256WithPublicKey(),
            "expired" => _rsa.Create(notBefore: now.AddHours(-2), expires: now.AddMinutes(-5)),
            "not yet valid" => _rsa.Create(notBefore: now.AddMinutes(10), expires: now.AddMinutes(20)),
            "wrong audience" => _rsa.Create(audience: "other-app"),
            "audience array without ours" => _rsa.Create(audiences: ["a", "b"]),
            "wrong issuer" => _rsa.Create(issuer: "https://evil.example"),
            "other key" => other.Create(),
            _ => "not.a.jwt",
        };

        var result = await Check(auth, token);

        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
        Assert.Contains(reason, result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_expiry_within_the_clock_skew_is_still_accepted()
    {
        using var auth = Inline();

        var result = await Check(auth, _rsa.Create(notBefore: DateTime.UtcNow.AddMinutes(-10), expires: DateTime.UtcNow.AddSeconds(-10)));

        Assert.True(result.IsOk, result.Reason);
    }

    [Fact]
    public void Only_the_configured_token_kinds_are_accepted()
    {
        using var auth = AuthServiceCollectionExtensions.CreateJwt(
            Options(_rsa.PublicKeyPem) with { CredentialTypes = [CredentialType.JwtAccess] }, TimeProvider.System);

        Assert.True(auth.Accepts(CredentialType.JwtAccess));
        Assert.False(auth.Accepts(CredentialType.JwtId));
        Assert.False(auth.Accepts(CredentialType.GoogleAuth));
    }

    [Theory]
    [InlineData("jwks")]
    [InlineData("x509 map")]
    [InlineData("pem")]
    public async Task Keys_are_read_from_a_JWKS_a_certificate_map_or_PEM_at_the_key_URL(string format)
    {
        using var keys = new KeyServer(format switch
        {
            "jwks" => TestTokens.Jwks(_rsa, _ec),
            "x509 map" => TestTokens.X509Map(_rsa, _ec),
            _ => _rsa.PublicKeyPem + "\n" + _ec.CertificatePem,
        });
        using var auth = AuthServiceCollectionExtensions.CreateJwt(Options(url: keys.Url), TimeProvider.System);

        var rsa = await Check(auth, _rsa.Create());
        var ec = await Check(auth, _ec.Create());

        Assert.True(rsa.IsOk, rsa.Reason);
        Assert.True(ec.IsOk, ec.Reason);
        Assert.Equal(1, keys.Requests); // cached
    }

    [Fact]
    public async Task An_unknown_key_ID_triggers_one_refresh_so_a_rotated_key_is_accepted()
    {
        using var rotated = TestTokens.Rsa("rsa-2");
        using var never = TestTokens.Rsa("rsa-3");
        using var keys = new KeyServer(TestTokens.Jwks(_rsa));
        using var auth = AuthServiceCollectionExtensions.CreateJwt(Options(url: keys.Url), TimeProvider.System);
        Assert.True((await Check(auth, _rsa.Create())).IsOk);

        keys.Body = TestTokens.Jwks(_rsa, rotated);
        var afterRotation = await Check(auth, rotated.Create());
        var unknown = await Check(auth, never.Create());

        Assert.True(afterRotation.IsOk, afterRotation.Reason);
        Assert.Equal(LoginResultCode.CredentialsRejected, unknown.Code);
        Assert.Equal(2, keys.Requests); // the made-up key ID right after a refresh does not fetch again
    }

    [Fact]
    public async Task Keys_are_fetched_again_when_the_cache_expires()
    {
        var time = new FakeTimeProvider();
        using var keys = new KeyServer(TestTokens.Jwks(_rsa));
        using var auth = AuthServiceCollectionExtensions.CreateJwt(
            Options(url: keys.Url) with { PublicKeyCacheExpiration = TimeSpan.FromSeconds(300) }, time);
        await Check(auth, _rsa.Create());

        time.Advance(TimeSpan.FromSeconds(299));
        await Check(auth, _rsa.Create());
        Assert.Equal(1, keys.Requests);

        time.Advance(TimeSpan.FromSeconds(2));
        keys.Body = TestTokens.Jwks(_ec); // the old key was withdrawn
        var withdrawn = await Check(auth, _rsa.Create(keyId: "rsa-1"));

        Assert.Equal(2, keys.Requests);
        Assert.Equal(LoginResultCode.CredentialsRejected, withdrawn.Code);
    }

    [Fact]
    public async Task An_unreachable_key_URL_is_AUTH_UNREACHABLE()
    {
        using var auth = AuthServiceCollectionExtensions.CreateJwt(Options(url: KeyServer.Unreachable()), TimeProvider.System);

        var result = await Check(auth, _rsa.Create());

        Assert.Equal(LoginResultCode.AuthUnreachable, result.Code);
        Assert.Contains("unreachable", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Symmetric_keys_in_a_key_set_are_ignored_and_private_keys_refused()
    {
        var jwks = """{"keys":[{"kty":"oct","kid":"rsa-1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]}""";

        Assert.Throws<FormatException>(() => JwtKeyParser.Parse(jwks));
        Assert.Throws<FormatException>(() => JwtKeyParser.Parse(RsaPrivateKeyPem()));
    }

    [Fact]
    public async Task Google_ID_tokens_are_checked_against_Googles_issuers_and_the_client_IDs()
    {
        using var keys = new KeyServer(TestTokens.X509Map(_rsa));
        using var auth = AuthServiceCollectionExtensions.CreateJwt(new JwtAuthOptions
        {
            Name = "google",
            PublicKeyUrl = keys.Url,
            Audiences = ["123-app.apps.googleusercontent.com"],
            Issuers = JwtAuthOptions.GoogleIssuers,
            CredentialTypes = [CredentialType.GoogleAuth],
        }, TimeProvider.System);

        var ok = await Check(auth, _rsa.Create("123-app.apps.googleusercontent.com", "https://accounts.google.com"), CredentialType.GoogleAuth);
        var okShortIssuer = await Check(auth, _rsa.Create("123-app.apps.googleusercontent.com", "accounts.google.com"), CredentialType.GoogleAuth);
        var otherApp = await Check(auth, _rsa.Create("999-other.apps.googleusercontent.com", "https://accounts.google.com"), CredentialType.GoogleAuth);
        var notGoogle = await Check(auth, _rsa.Create("123-app.apps.googleusercontent.com", "https://evil.example"), CredentialType.GoogleAuth);

        Assert.True(ok.IsOk, ok.Reason);
        Assert.True(okShortIssuer.IsOk, okShortIssuer.Reason);
        Assert.Equal(LoginResultCode.CredentialsRejected, otherApp.Code);
        Assert.Equal(LoginResultCode.CredentialsRejected, notGoogle.Code);
        Assert.True(auth.Accepts(CredentialType.GoogleAuth));
        Assert.False(auth.Accepts(CredentialType.JwtId));
    }

    private static string RsaPrivateKeyPem()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
