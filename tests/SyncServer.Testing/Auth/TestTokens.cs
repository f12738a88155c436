using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SyncServer.Engine.Tests.Auth;

/// <summary>A signing key pair for tests, and tokens made with it (Microsoft.IdentityModel), including hostile ones.</summary>
internal sealed class TestTokens : IDisposable
{
    public const string Audience = "sync-app";
    public const string Issuer = "https://issuer.example";

    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestTokens(string keyId, RSA? rsa, ECDsa? ec)
    {
        KeyId = keyId;
        _rsa = rsa;
        _ec = ec;
        SigningKey = rsa is not null ? new RsaSecurityKey(rsa) { KeyId = keyId } : new ECDsaSecurityKey(ec!) { KeyId = keyId };
        Algorithm = rsa is not null ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256;
    }

    public string KeyId { get; }

    public SecurityKey SigningKey { get; }

    public string Algorithm { get; }

    public static TestTokens Rsa(string keyId = "rsa-1") => new(keyId, RSA.Create(2048), null);

    public static TestTokens Ec(string keyId = "ec-1") => new(keyId, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The public key as PEM (SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem => _rsa is not null ? _rsa.ExportSubjectPublicKeyInfoPem() : _ec!.ExportSubjectPublicKeyInfoPem();

    /// <summary>A self-signed certificate for the key, as PEM (what Firebase and Google's v1 URL publish).</summary>
    public string CertificatePem
    {
        get
        {
            var request = _rsa is not null
                ? new CertificateRequest("CN=test signer", _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=test signer", _ec!, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            return certificate.ExportCertificatePem();
        }
    }

    /// <summary>A JWKS with the public key(s) of <paramref name="signers"/>.</summary>
    public static string Jwks(params TestTokens[] signers) =>
        "{\"keys\":[" + string.Join(",", signers.Select(s => s.PublicJwk())) + "]}";

    /// <summary>A Firebase-style JSON map of key ID to PEM certificate.</summary>
    public static string X509Map(params TestTokens[] signers) =>
        System.Text.Json.JsonSerializer.Serialize(signers.ToDictionary(s => s.KeyId, s => s.CertificatePem));

    public string PublicJwk()
    {
        var jwk = SigningKey is RsaSecurityKey rsa
            ? JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = KeyId })
            : JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)SigningKey);
        jwk.KeyId = KeyId;
        jwk.Use = "sig";
        var fields = new Dictionary<string, string?> { ["kty"] = jwk.Kty, ["kid"] = jwk.KeyId, ["use"] = "sig", ["alg"] = Algorithm };
        if (jwk.Kty == "RSA")
        {
            fields["n"] = jwk.N;
            fields["e"] = jwk.E;
        }
        else
        {
            fields["crv"] = jwk.Crv;
            fields["x"] = jwk.X;
            fields["y"] = jwk.Y;
        }

        return System.Text.Json.JsonSerializer.Serialize(fields);
    }

    /// <summary>A token valid now for <see cref="Audience"/> and <see cref="Issuer"/>, unless changed.</summary>
    public string Create(
        string? audience = Audience, string? issuer = Issuer, DateTime? notBefore = null, DateTime? expires = null,
        IEnumerable<string>? audiences = null, string? keyId = null, IReadOnlyDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        var payload = new Dictionary<string, object> { ["sub"] = "user-1" };
        foreach (var (name, value) in claims ?? new Dictionary<string, object>())
        {
            payload[name] = value;
        }

        if (audiences is not null)
        {
            payload["aud"] = audiences.ToArray();
        }

        var key = keyId is null ? SigningKey : WithKeyId(keyId);
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = audiences is null ? audience : null,
            Issuer = issuer,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            IssuedAt = now.AddMinutes(-1),
            Claims = payload,
            SigningCredentials = new SigningCredentials(key, Algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A valid token whose signature has one byte changed.</summary>
    public string CreateTampered()
    {
        var parts = Create().Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[signature.Length / 2] ^= 0x01;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>A token with a valid payload whose claims were changed after signing (sub to "admin").</summary>
    public string CreateWithChangedPayload()
    {
        var parts = Create().Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("user-1", "admin", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }

    /// <summary><c>alg: none</c>, no signature, otherwise valid claims.</summary>
    public string CreateUnsigned()
    {
        var header = $$"""{"alg":"none","typ":"JWT","kid":"{{KeyId}}"}""";
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(Create().Split('.')[1]));
        return $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}.";
    }

    /// <summary>Key confusion: HS256 with the server's public key (PEM text bytes) as the HMAC secret.</summary>
    public string CreateHs256WithPublicKey()
    {
        var now = DateTime.UtcNow;
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PublicKeyPem)) { KeyId = KeyId };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Audience = Audience,
            Issuer = Issuer,
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }

    private SecurityKey WithKeyId(string keyId) => SigningKey switch
    {
        RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa) { KeyId = keyId },
        ECDsaSecurityKey ec => new ECDsaSecurityKey(ec.ECDsa) { KeyId = keyId },
        _ => throw new InvalidOperationException(),
    };
}
