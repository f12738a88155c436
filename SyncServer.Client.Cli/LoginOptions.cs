using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SyncServer.Client.Cli;

/// <summary>
/// The sync-client's login options: at most one kind of credentials (shared secret, JWT, Google ID token, admin user) and
/// the certificates to trust for <c>wss://</c>. Conflicts are parse errors (<see cref="Validate"/>); files are read by
/// <see cref="Read"/>, when a command runs.
/// </summary>
internal sealed class LoginOptions
{
    private const string SharedSecretKind = "shared secret";
    private const string AdminUserKind = "admin user";

    public Option<string> SharedSecret { get; } = new("--shared-secret")
    {
        HelpName = "secret",
        Description = "The server's auth.sharedSecret (never sent: the client answers a challenge). Visible in shell history and ps; prefer --shared-secret-file.",
        Recursive = true,
    };

    public Option<FileInfo> SharedSecretFile { get; } = new Option<FileInfo>("--shared-secret-file")
    {
        HelpName = "path",
        Description = "A file holding the shared secret (a trailing line break is ignored).",
        Recursive = true,
    }.AcceptExistingOnly();

    public Option<string> Jwt { get; } = new("--jwt")
    {
        HelpName = "token",
        Description = "A JWT for the server's auth.jwt; its kind is --jwt-kind. Visible in shell history and ps; prefer --jwt-file.",
        Recursive = true,
    };

    public Option<FileInfo> JwtFile { get; } = new Option<FileInfo>("--jwt-file")
    {
        HelpName = "path",
        Description = "A file holding the JWT (a trailing line break is ignored); its kind is --jwt-kind.",
        Recursive = true,
    }.AcceptExistingOnly();

    public Option<string> JwtKind { get; } = new Option<string>("--jwt-kind")
    {
        Description = "What --jwt or --jwt-file is: id, access, refresh or custom.",
        Recursive = true,
        DefaultValueFactory = _ => "id",
    }.AcceptOnlyFromAmong("id", "access", "refresh", "custom");

    public Option<string> GoogleIdToken { get; } = new("--google-id-token")
    {
        HelpName = "token",
        Description = "A Google ID token for the server's auth.google.",
        Recursive = true,
    };

    public Option<string> User { get; } = new("--user")
    {
        HelpName = "name",
        Description = "An admin UI user's name (server: auth.obxAdmin); with --password or --password-file. Use wss://: the password is sent as it is.",
        Recursive = true,
    };

    public Option<string> Password { get; } = new("--password")
    {
        HelpName = "password",
        Description = "The --user's password. Visible in shell history and ps; prefer --password-file.",
        Recursive = true,
    };

    public Option<FileInfo> PasswordFile { get; } = new Option<FileInfo>("--password-file")
    {
        HelpName = "path",
        Description = "A file holding the --user's password (a trailing line break is ignored).",
        Recursive = true,
    }.AcceptExistingOnly();

    public Option<FileInfo[]> TrustedCertificates { get; } = new Option<FileInfo[]>("--trusted-cert")
    {
        HelpName = "file.pem",
        Description = "A PEM (or DER) certificate to trust for wss:// besides the system's roots: the server's self-signed certificate or a private CA. Repeatable.",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    }.AcceptExistingOnly();

    public IEnumerable<Option> All =>
        [SharedSecret, SharedSecretFile, Jwt, JwtFile, JwtKind, GoogleIdToken, User, Password, PasswordFile, TrustedCertificates];

    /// <summary>The credential options, each with the kind of credentials it gives.</summary>
    private IEnumerable<(Option Option, string Kind)> CredentialOptions =>
    [
        (SharedSecret, SharedSecretKind), (SharedSecretFile, SharedSecretKind), (Jwt, "JWT"), (JwtFile, "JWT"), (GoogleIdToken, "Google ID token"),
        (User, AdminUserKind), (Password, AdminUserKind), (PasswordFile, AdminUserKind),
    ];

    /// <summary>A command validator: one kind of credentials, each given once, complete, and no empty values.</summary>
    public void Validate(CommandResult result)
    {
        var given = CredentialOptions.Where(c => result.GetResult(c.Option) is { Implicit: false }).ToList();
        if (given.FirstOrDefault(c => c.Kind != given[0].Kind) is { Option: not null } other)
        {
            result.AddError($"{given[0].Option.Name} ({given[0].Kind}) and {other.Option.Name} ({other.Kind}) conflict: give one kind of credentials.");
            return;
        }

        foreach (var (one, another) in new[] { (SharedSecret, SharedSecretFile), (Jwt, JwtFile), (Password, PasswordFile) })
        {
            if (IsGiven(result, one) && IsGiven(result, another))
            {
                result.AddError($"{one.Name} and {another.Name} conflict: give one of them.");
                return;
            }
        }

        if (IsGiven(result, User) != (IsGiven(result, Password) || IsGiven(result, PasswordFile)))
        {
            result.AddError(IsGiven(result, User)
                ? $"{User.Name} needs {Password.Name} or {PasswordFile.Name}."
                : $"{(IsGiven(result, Password) ? Password.Name : PasswordFile.Name)} needs {User.Name}.");
        }

        if (IsGiven(result, JwtKind) && !IsGiven(result, Jwt) && !IsGiven(result, JwtFile))
        {
            result.AddError($"{JwtKind.Name} needs {Jwt.Name} or {JwtFile.Name}.");
        }

        foreach (var option in new[] { SharedSecret, Jwt, GoogleIdToken, User, Password })
        {
            if (result.GetResult(option) is { Implicit: false } optionResult && optionResult.GetValueOrDefault<string>() is "")
            {
                result.AddError($"{option.Name} is empty.");
            }
        }
    }

    /// <summary>The credentials and trusted certificates the command line gives, reading the files it names.</summary>
    /// <exception cref="IOException">A file cannot be read, or holds no secret or no certificate.</exception>
    public ClientLogin Read(ParseResult result)
    {
        var trusted = new X509Certificate2Collection();
        foreach (var file in result.GetValue(TrustedCertificates) ?? [])
        {
            try
            {
                trusted.AddRange(SyncClientOptions.LoadCertificates(file.FullName));
            }
            catch (CryptographicException e)
            {
                throw new IOException($"{file.FullName} holds no certificate in PEM or DER: {e.Message}", e);
            }
        }

        return new ClientLogin(ReadCredentials(result), trusted);
    }

    private SyncCredentials ReadCredentials(ParseResult result)
    {
        if (result.GetValue(SharedSecretFile) is { } secretFile)
        {
            return SyncCredentials.SharedSecret(ReadSecret(secretFile));
        }

        if (result.GetValue(SharedSecret) is { } secret)
        {
            return SyncCredentials.SharedSecret(secret);
        }

        if ((result.GetValue(JwtFile) is { } tokenFile ? ReadSecret(tokenFile) : result.GetValue(Jwt)) is { } token)
        {
            return result.GetValue(JwtKind) switch
            {
                "access" => SyncCredentials.JwtAccess(token),
                "refresh" => SyncCredentials.JwtRefresh(token),
                "custom" => SyncCredentials.JwtCustom(token),
                _ => SyncCredentials.JwtId(token),
            };
        }

        if (result.GetValue(GoogleIdToken) is { } idToken)
        {
            return SyncCredentials.GoogleAuth(idToken);
        }

        if (result.GetValue(User) is { } user)
        {
            var password = result.GetValue(PasswordFile) is { } passwordFile ? ReadSecret(passwordFile) : result.GetValue(Password)!;
            return SyncCredentials.ObxAdminUser(user, password);
        }

        return SyncCredentials.None;
    }

    private static bool IsGiven(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>The file's text without its trailing line break(s), as <c>echo secret &gt; file</c> writes it.</summary>
    private static string ReadSecret(FileInfo file)
    {
        var text = File.ReadAllText(file.FullName).TrimEnd('\r', '\n');
        return text.Length > 0 ? text : throw new IOException($"{file.FullName} is empty.");
    }
}
