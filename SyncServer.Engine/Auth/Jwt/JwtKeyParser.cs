using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace SyncServer.Engine.Auth.Jwt;

/// <summary>
/// Reads JWT verification keys in the formats key servers publish: a JWKS (<c>{"keys": [...]}</c>), a JSON map of key ID
/// to PEM certificate (Firebase, Google's v1 certs), or PEM (public keys or certificates). Only asymmetric keys (RSA, EC)
/// are returned: a symmetric key in a key set is skipped, so an HS256 token can never be checked against it.
/// </summary>
public static class JwtKeyParser
{
    /// <exception cref="FormatException">The text is none of the formats, or holds no usable public key.</exception>
    public static IReadOnlyList<SecurityKey> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            return ParseJson(trimmed);
        }

        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return ParsePem(trimmed);
        }

        throw new FormatException("not a JWKS, a JSON map of certificates, or PEM");
    }

    /// <summary>One or more PEM blocks: CERTIFICATE, PUBLIC KEY (RSA or EC) or RSA PUBLIC KEY.</summary>
    /// <exception cref="FormatException">No usable block, or a private key.</exception>
    public static IReadOnlyList<SecurityKey> ParsePem(string pem, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var keys = new List<SecurityKey>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            keys.Add(label switch
            {
                "CERTIFICATE" => CertificateKey(der, keyId),
                "PUBLIC KEY" => PublicKey(der, keyId),
                "RSA PUBLIC KEY" => RsaKey(rsa => rsa.ImportRSAPublicKey(der, out _), keyId),
                _ when label.Contains("PRIVATE", StringComparison.Ordinal) =>
                    throw new FormatException($"a {label} was given: give the public key or certificate, never the private key"),
                _ => throw new FormatException($"unsupported PEM block '{label}'"),
            });
            rest = rest[fields.Location.End..];
        }

        return keys.Count > 0 ? keys : throw new FormatException("no PEM block found");
    }

    private static List<SecurityKey> ParseJson(string json)
    {
        using var document = Parse(json, out var error) ?? throw new FormatException($"invalid JSON: {error}");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the JSON must be an object");
        }

        var keys = new List<SecurityKey>();
        if (root.TryGetProperty("keys", out var jwks) && jwks.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in new JsonWebKeySet(json).Keys)
            {
                // Signing keys only, asymmetric only: "oct" (HMAC) keys would allow HS256 tokens.
                if ((key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve) && key.Use is null or "sig")
                {
                    keys.Add(key);
                }
            }
        }
        else
        {
            foreach (var entry in root.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw new FormatException($"key '{entry.Name}': expected a PEM certificate string");
                }

                keys.AddRange(ParsePem(entry.Value.GetString()!, entry.Name));
            }
        }

        return keys.Count > 0 ? keys : throw new FormatException("the key set holds no RSA or EC signing key");
    }

    private static JsonDocument? Parse(string json, out string? error)
    {
        try
        {
            error = null;
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The certificate's public key (RSA or EC); its dates are not checked (key servers rotate them).</summary>
    private static SecurityKey CertificateKey(byte[] der, string? keyId)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        if (certificate.GetRSAPublicKey() is { } rsa)
        {
            return new RsaSecurityKey(rsa) { KeyId = keyId };
        }

        return certificate.GetECDsaPublicKey() is { } ec
            ? new ECDsaSecurityKey(ec) { KeyId = keyId }
            : throw new FormatException("a CERTIFICATE whose key is neither RSA nor EC");
    }

    private static SecurityKey PublicKey(byte[] der, string? keyId)
    {
        try
        {
            return RsaKey(rsa => rsa.ImportSubjectPublicKeyInfo(der, out _), keyId);
        }
        catch (CryptographicException)
        {
            var ec = ECDsa.Create();
            try
            {
                ec.ImportSubjectPublicKeyInfo(der, out _);
            }
            catch (CryptographicException e)
            {
                ec.Dispose();
                throw new FormatException($"a PUBLIC KEY that is neither RSA nor EC: {e.Message}", e);
            }

            return new ECDsaSecurityKey(ec) { KeyId = keyId };
        }
    }

    private static RsaSecurityKey RsaKey(Action<RSA> import, string? keyId)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }

        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }
}
