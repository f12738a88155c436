using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

/// <summary>
/// <c>auth.jwt</c> (and, with Google's issuers and key URL, <c>auth.google</c>): clients present a JWT signed by a key
/// the server knows from <see cref="PublicKey"/> or <see cref="PublicKeyUrl"/>. Immutable.
/// </summary>
public sealed record JwtAuthOptions
{
    /// <summary>Google's ID token issuers.</summary>
    public static readonly IReadOnlyList<string> GoogleIssuers = ["accounts.google.com", "https://accounts.google.com"];

    /// <summary>Where Google publishes the keys of its ID tokens (a JWKS).</summary>
    public const string GooglePublicKeyUrl = "https://www.googleapis.com/oauth2/v3/certs";

    public static readonly TimeSpan DefaultCacheExpiration = TimeSpan.FromSeconds(300);

    /// <summary>The method's name in config and logs: "jwt" or "google".</summary>
    public string Name { get; init; } = "jwt";

    /// <summary>Inline PEM: one or more public keys or certificates.</summary>
    public string? PublicKey { get; init; }

    /// <summary>A URL serving a JWKS, a JSON map of key ID to PEM certificate (Firebase, Google v1), or PEM.</summary>
    public Uri? PublicKeyUrl { get; init; }

    /// <summary>How long keys from <see cref="PublicKeyUrl"/> are used before they are fetched again.</summary>
    public TimeSpan PublicKeyCacheExpiration { get; init; } = DefaultCacheExpiration;

    /// <summary>Accepted audiences (the token's <c>aud</c>, a string or an array, must contain one); empty: not checked.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Accepted issuers (<c>iss</c>); empty: not checked.</summary>
    public IReadOnlyList<string> Issuers { get; init; } = [];

    /// <summary>The LOGIN credential types this method checks.</summary>
    public IReadOnlyList<CredentialType> CredentialTypes { get; init; } =
        [CredentialType.JwtId, CredentialType.JwtAccess, CredentialType.JwtRefresh, CredentialType.JwtCustom];

    public bool Required { get; init; }
}
