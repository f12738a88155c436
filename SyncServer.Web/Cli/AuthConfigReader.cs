using System.Globalization;
using System.Text.Json;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;

namespace SyncServer.Web.Cli;

/// <summary>
/// Reads the config file's <c>auth</c> section (docs/auth.md). Every unknown key, inside <c>auth</c> or inside a method,
/// is an error naming it (keys starting with "_" are comments).
/// </summary>
internal static class AuthConfigReader
{
    public const string SharedSecret = "sharedSecret";
    public const string Jwt = "jwt";
    public const string Google = "google";
    public const string ObxAdmin = "obxAdmin";

    public static readonly string[] Methods = [SharedSecret, Jwt, Google, ObxAdmin];

    private static readonly string[] SharedSecretKeys = ["value", "required"];
    private static readonly string[] JwtKeys =
        ["publicKey", "publicKeyUrl", "publicKeyCacheExpirationSeconds", "claimAud", "claimIss", "tokenTypes", "required"];
    private static readonly string[] GoogleKeys = ["clientIds", "publicKeyUrl", "publicKeyCacheExpirationSeconds", "required"];
    private static readonly string[] ObxAdminKeys = ["required"];

    /// <summary>Token kinds as <c>tokenTypes</c> names them, and the LOGIN credential type of each.</summary>
    public static readonly IReadOnlyDictionary<string, CredentialType> TokenTypes = new Dictionary<string, CredentialType>(StringComparer.Ordinal)
    {
        ["id"] = CredentialType.JwtId,
        ["access"] = CredentialType.JwtAccess,
        ["refresh"] = CredentialType.JwtRefresh,
        ["custom"] = CredentialType.JwtCustom,
    };

    public static AuthFileSettings Read(JsonElement auth, string file)
    {
        if (auth.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, "auth", "must be an object with one key per method: " + string.Join(", ", Methods));
        }

        CheckKeys(auth, Methods, file, "auth", "unknown authentication method");
        var settings = new AuthFileSettings();
        if (auth.TryGetProperty(SharedSecret, out var secret) && secret.ValueKind != JsonValueKind.Null)
        {
            settings = settings with { SharedSecret = ReadSharedSecret(secret, file) };
        }

        if (auth.TryGetProperty(Jwt, out var jwt) && jwt.ValueKind != JsonValueKind.Null)
        {
            settings = settings with { Jwt = ReadJwt(jwt, file) };
        }

        if (auth.TryGetProperty(Google, out var google) && google.ValueKind != JsonValueKind.Null)
        {
            settings = settings with { Google = ReadGoogle(google, file) };
        }

        if (auth.TryGetProperty(ObxAdmin, out var admin))
        {
            settings = admin.ValueKind switch
            {
                JsonValueKind.True => settings with { ObxAdmin = true },
                JsonValueKind.False or JsonValueKind.Null => settings,
                JsonValueKind.Object => ReadObxAdmin(admin, settings, file),
                _ => throw Error(file, "auth.obxAdmin", "must be true, false or { \"required\": true }"),
            };
        }

        return settings;
    }

    private static AuthFileSettings ReadObxAdmin(JsonElement admin, AuthFileSettings settings, string file)
    {
        CheckKeys(admin, ObxAdminKeys, file, "auth.obxAdmin", "unknown key");
        return settings with { ObxAdmin = true, ObxAdminRequired = Bool(admin, "required", file, "auth.obxAdmin") };
    }

    private static SharedSecretAuthOptions ReadSharedSecret(JsonElement secret, string file)
    {
        const string where = "auth.sharedSecret";
        string? value;
        var required = false;
        if (secret.ValueKind == JsonValueKind.String)
        {
            value = secret.GetString();
        }
        else if (secret.ValueKind == JsonValueKind.Object)
        {
            CheckKeys(secret, SharedSecretKeys, file, where, "unknown key");
            value = String(secret, "value", file, where);
            required = Bool(secret, "required", file, where);
        }
        else
        {
            throw Error(file, where, "must be a string or { \"value\": \"...\", \"required\": true }");
        }

        return string.IsNullOrEmpty(value)
            ? throw Error(file, where, "the secret must not be empty")
            : new SharedSecretAuthOptions(value, required);
    }

    private static JwtAuthOptions ReadJwt(JsonElement jwt, string file)
    {
        const string where = "auth.jwt";
        if (jwt.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, where, "must be an object");
        }

        CheckKeys(jwt, JwtKeys, file, where, "unknown key");
        var options = new JwtAuthOptions
        {
            Name = Jwt,
            PublicKey = String(jwt, "publicKey", file, where),
            PublicKeyUrl = Url(jwt, "publicKeyUrl", file, where),
            PublicKeyCacheExpiration = Seconds(jwt, file, where),
            Audiences = Strings(jwt, "claimAud", file, where),
            Issuers = Strings(jwt, "claimIss", file, where),
            Required = Bool(jwt, "required", file, where),
        };
        if (jwt.TryGetProperty("tokenTypes", out _))
        {
            var types = Strings(jwt, "tokenTypes", file, where);
            var unknown = types.FirstOrDefault(t => !TokenTypes.ContainsKey(t));
            if (unknown is not null || types.Count == 0)
            {
                throw Error(file, $"{where}.tokenTypes", $"must list one or more of {string.Join(", ", TokenTypes.Keys)}{(unknown is null ? "" : $", not '{unknown}'")}");
            }

            options = options with { CredentialTypes = [.. types.Distinct().Select(t => TokenTypes[t])] };
        }

        return options;
    }

    private static JwtAuthOptions ReadGoogle(JsonElement google, string file)
    {
        const string where = "auth.google";
        if (google.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, where, "must be an object with \"clientIds\"");
        }

        CheckKeys(google, GoogleKeys, file, where, "unknown key");
        var clientIds = Strings(google, "clientIds", file, where);
        if (clientIds.Count == 0)
        {
            throw Error(file, $"{where}.clientIds", "give your app's OAuth client ID(s): Google ID tokens are checked against them as audience");
        }

        return new JwtAuthOptions
        {
            Name = Google,
            PublicKeyUrl = Url(google, "publicKeyUrl", file, where) ?? new Uri(JwtAuthOptions.GooglePublicKeyUrl),
            PublicKeyCacheExpiration = Seconds(google, file, where),
            Audiences = clientIds,
            Issuers = JwtAuthOptions.GoogleIssuers,
            CredentialTypes = [CredentialType.GoogleAuth],
            Required = Bool(google, "required", file, where),
        };
    }

    private static void CheckKeys(JsonElement element, string[] known, string file, string where, string what)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!property.Name.StartsWith('_') && !known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new SettingsException(
                    $"Config file {file}: {where}.{property.Name}: {what}; known: {string.Join(", ", known)} (keys starting with _ are comments)");
            }
        }
    }

    private static string? String(JsonElement element, string key, string file, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(file, $"{where}.{key}", "must be a string");
    }

    private static bool Bool(JsonElement element, string key, string file, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(file, $"{where}.{key}", "must be true or false"),
        };
    }

    /// <summary>A string or an array of strings.</summary>
    private static List<string> Strings(JsonElement element, string key, string file, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        }

        throw Error(file, $"{where}.{key}", "must be a string or an array of strings");
    }

    private static Uri? Url(JsonElement element, string key, string file, string where)
    {
        var text = String(element, key, file, where);
        return text is null ? null : ParseUrl(text, $"Config file {file}: {where}.{key}");
    }

    public static Uri ParseUrl(string text, string source) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new SettingsException($"{source}: '{text}' is not an http:// or https:// URL");

    private static TimeSpan Seconds(JsonElement element, string file, string where)
    {
        const string key = "publicKeyCacheExpirationSeconds";
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return JwtAuthOptions.DefaultCacheExpiration;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is >= 0 and <= 7 * 24 * 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw Error(file, $"{where}.{key}", $"must be a whole number of seconds from 0 to {(7 * 24 * 3600).ToString(CultureInfo.InvariantCulture)}");
    }

    private static SettingsException Error(string file, string key, string message) => new($"Config file {file}: {key} {message}");
}
