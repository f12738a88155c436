using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth.Jwt;

// Singleton, thread-safe: the handler and the base validation parameters are never changed after construction; each
// login validates with its own copy of the parameters.
/// <summary>
/// JWT logins (<c>auth.jwt</c>, and Google sign-in with Google's issuers and keys): the token in the credentials (UTF-8,
/// compact JWS) must carry a valid signature by one of the configured keys with an asymmetric algorithm (RS*, PS*, ES*;
/// never <c>none</c> or HS*), be within <c>nbf</c>/<c>exp</c> (30 s clock skew; <c>exp</c> required), and name a
/// configured audience and issuer when those are set. Checked by Microsoft.IdentityModel.
/// </summary>
internal sealed class JwtAuthenticator : IClientAuthenticator, IDisposable
{
    /// <summary>The longest token accepted (bytes).</summary>
    public const int MaxTokenBytes = 16 * 1024;

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The only algorithms a token may be signed with: asymmetric ones.</summary>
    public static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly JwtAuthOptions _options;
    private readonly IJwtKeySource _keys;
    private readonly IDisposable? _ownedResource;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, MaximumTokenSizeInBytes = MaxTokenBytes };
    private readonly TokenValidationParameters _parameters;

    public JwtAuthenticator(JwtAuthOptions options, IJwtKeySource keys, IDisposable? ownedResource = null)
    {
        _options = options;
        _keys = keys;
        _ownedResource = ownedResource;
        _parameters = new TokenValidationParameters
        {
            ValidAlgorithms = AllowedAlgorithms,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            ValidateAudience = options.Audiences.Count > 0,
            ValidAudiences = options.Audiences,
            ValidateIssuer = options.Issuers.Count > 0,
            ValidIssuers = options.Issuers,
            SaveSigninToken = false,
        };
    }

    public string Name => _options.Name;

    public bool IsRequired => _options.Required;

    public bool Accepts(CredentialType type) => _options.CredentialTypes.Contains(type);

    public async ValueTask<AuthResult> AuthenticateAsync(CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct)
    {
        if (credentials.Length is 0 or > MaxTokenBytes)
        {
            return AuthResult.Rejected($"the token must be 1 to {MaxTokenBytes} bytes, got {credentials.Length}");
        }

        string token;
        JsonWebToken parsed;
        try
        {
            token = StrictUtf8.GetString(credentials.Span).Trim();
            parsed = new JsonWebToken(token);
        }
        catch (Exception e) when (e is DecoderFallbackException or ArgumentException or SecurityTokenMalformedException)
        {
            return AuthResult.Rejected("the credentials are not a JWT (compact JWS)");
        }

        // Checked before any key is fetched: garbage must not reach the key URL. ValidAlgorithms checks it again.
        if (!AllowedAlgorithms.Contains(parsed.Alg, StringComparer.Ordinal))
        {
            return AuthResult.Rejected($"algorithm '{parsed.Alg}' is not allowed (only RS*, PS* and ES* are)");
        }

        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = await _keys.GetKeysAsync(string.IsNullOrEmpty(parsed.Kid) ? null : parsed.Kid, ct).ConfigureAwait(false);
        }
        catch (JwtKeysUnavailableException e)
        {
            return new AuthResult(LoginResultCode.AuthUnreachable, e.Message);
        }

        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = keys;
        var result = await _handler.ValidateTokenAsync(parsed, parameters).ConfigureAwait(false);
        return result.IsValid
            ? AuthResult.OkWith(Payload(parsed))
            : AuthResult.Rejected($"invalid token: {result.Exception?.GetType().Name}: {result.Exception?.Message}");
    }

    public void Dispose() => _ownedResource?.Dispose();

    // The validated token's payload: the claims the sync filters read as $auth.… (docs/filters.md).
    private static System.Text.Json.JsonElement Payload(JsonWebToken token)
    {
        using var document = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        return document.RootElement.Clone();
    }
}
