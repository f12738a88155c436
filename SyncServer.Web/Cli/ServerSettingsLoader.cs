using System.CommandLine;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Auth.Jwt;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Storage;

namespace SyncServer.Web.Cli;

/// <summary>
/// Resolves <see cref="ServerSettings"/>: defaults, then the config file, then the command line; the session limits
/// (<see cref="SyncSettingsReader"/>): defaults, then the config file's <c>sync</c> object, then <c>Sync__X</c>
/// environment variables. Nothing is opened or written here, so a bad value stops the start before the data directory is touched.
/// </summary>
internal static class ServerSettingsLoader
{
    /// <param name="environment">The environment variables to read the session limits from; null: this process's.</param>
    /// <exception cref="SettingsException">A value is bad; the message names the option or key.</exception>
    public static ServerSettings Load(ServerCommandLine cli, ParseResult parsed, IReadOnlyDictionary<string, string>? environment = null)
    {
        var warnings = new List<string>();
        var (file, configMessage) = ReadConfigFile(cli, parsed);
        var sync = SyncSettingsReader.Read(file.Sync, file.Name ?? ServerSettings.DefaultConfigFile, environment ?? SyncSettingsReader.ProcessEnvironment());

        string? Pick(Option<string?> option, string? fromFile) =>
            ServerCommandLine.IsGiven(parsed, option) ? parsed.GetValue(option) : fromFile;
        string PickOrDefault(Option<string> option, string? fromFile) =>
            ServerCommandLine.IsGiven(parsed, option) || fromFile is null ? parsed.GetValue(option)! : fromFile;
        static string Source(Option option, string key) => $"{option.Name} (config key {key})";

        var logLevel = PickOrDefault(cli.LogLevel, file.LogLevel);
        if (parsed.GetValue(cli.Debug))
        {
            if (ServerCommandLine.IsGiven(parsed, cli.LogLevel))
            {
                warnings.Add("--debug is deprecated and ignored because --log-level is given");
            }
            else
            {
                logLevel = "debug";
                warnings.Add("--debug is deprecated; use --log-level debug");
            }
        }

        if (!ObxLogLevel.TryParse(logLevel, out _))
        {
            throw new SettingsException($"{Source(cli.LogLevel, "logLevel")}: unknown level '{logLevel}'; use one of {string.Join(", ", ObxLogLevel.Names)}");
        }

        var certificatePath = Pick(cli.Cert, file.CertificatePath);
        var bind = BindAddress.Parse(PickOrDefault(cli.Bind, file.Bind), Source(cli.Bind, "bind"), "ws", "wss");
        BindAddress? adminBind = parsed.GetValue(cli.AdminOff)
            ? null
            : BindAddress.Parse(PickOrDefault(cli.AdminBind, file.AdminBind), Source(cli.AdminBind, "adminBind"), "http", "https");
        if (adminBind is not null && adminBind.Port == bind.Port)
        {
            throw new SettingsException($"--bind and --admin-bind both use port {bind.Port}; give the admin UI its own port (or --admin-off)");
        }

        if (!string.IsNullOrEmpty(certificatePath) && !bind.UseTls && adminBind is not { UseTls: true })
        {
            warnings.Add($"{Source(cli.Cert, "certificatePath")} is given, but {bind.Url}{(adminBind is null ? "" : $" and {adminBind.Url}")} "
                + "do not use TLS, so the certificate is not used: bind wss:// (and https://) to encrypt");
        }

        if (string.IsNullOrEmpty(certificatePath))
        {
            if (bind.UseTls)
            {
                throw new SettingsException($"{Source(cli.Bind, "bind")}: {bind.Url} needs a TLS certificate: pass --cert (config key certificatePath)");
            }

            if (adminBind is { UseTls: true })
            {
                throw new SettingsException($"{Source(cli.AdminBind, "adminBind")}: {adminBind.Url} needs a TLS certificate: pass --cert (config key certificatePath)");
            }
        }

        var maxKb = ServerCommandLine.IsGiven(parsed, cli.HistorySizeMaxKb) ? parsed.GetValue(cli.HistorySizeMaxKb) : file.HistorySizeMaxKb;
        var targetKb = ServerCommandLine.IsGiven(parsed, cli.HistorySizeTargetKb) ? parsed.GetValue(cli.HistorySizeTargetKb) : file.HistorySizeTargetKb;
        if (maxKb is <= 0 or > ServerSettings.MaxHistorySizeKb)
        {
            throw new SettingsException($"{Source(cli.HistorySizeMaxKb, "historySizeMaxKb")}: the history size must be a whole number of KB "
                + $"from 1 to {ServerSettings.MaxHistorySizeKb} (1 PB), not {maxKb}");
        }

        if (targetKb is < 0 or > ServerSettings.MaxHistorySizeKb)
        {
            throw new SettingsException($"{Source(cli.HistorySizeTargetKb, "historySizeTargetKb")}: the history size must be a whole number of KB "
                + $"from 0 to {ServerSettings.MaxHistorySizeKb} (1 PB), not {targetKb}");
        }

        if (targetKb is not null && maxKb is null)
        {
            throw new SettingsException($"{Source(cli.HistorySizeTargetKb, "historySizeTargetKb")} needs historySizeMaxKb too");
        }

        if (maxKb is not null && targetKb is not null && targetKb > maxKb)
        {
            throw new SettingsException($"historySizeTargetKb ({targetKb}) must not be larger than historySizeMaxKb ({maxKb})");
        }

        if (file.Workers is 0 or > 1024)
        {
            throw new SettingsException($"Config: workers must be between 1 and 1024, not {file.Workers}");
        }

        var sortLimit = ServerCommandLine.IsGiven(parsed, cli.AdminSortLimit) ? parsed.GetValue(cli.AdminSortLimit) : file.AdminSortLimit;
        if (sortLimit is < 0 or > int.MaxValue)
        {
            throw new SettingsException($"{Source(cli.AdminSortLimit, "adminSortLimit")}: the sort limit must be a number of objects from 0 to {int.MaxValue}, not {sortLimit}");
        }

        string? Variable(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        var allowedHosts = NetworkSettingsReader.AllowedHosts(file.AllowedHosts, Variable(NetworkSettingsReader.AllowedHostsVariable));
        var trustedProxies = NetworkSettingsReader.TrustedProxies(file.TrustedProxies, Variable(NetworkSettingsReader.TrustedProxiesVariable));

        var syncFilters = SyncFilters(file.SyncFilters, environment);
        var auth = ResolveAuth(cli, parsed, file.Auth, warnings);
        var obxAdmin = parsed.GetValue(cli.AuthObxAdmin) || file.Auth.ObxAdmin;
        var required = new HashSet<string>(parsed.GetValue(cli.AuthRequired) ?? [], StringComparer.Ordinal);
        if (obxAdmin && adminBind is null)
        {
            throw new SettingsException("--auth-obx-admin (config key auth.obxAdmin): admin users live in the admin UI's user database; "
                + "it needs the admin UI (remove --admin-off)");
        }

        if (required.Contains(AuthConfigReader.ObxAdmin) && !obxAdmin)
        {
            throw new SettingsException("--auth-required obxAdmin: admin user logins are not enabled (--auth-obx-admin)");
        }

        var sendsSecrets = new List<string>();
        if (obxAdmin)
        {
            sendsSecrets.Add("admin passwords (obxAdmin)");
        }

        if (auth.Jwt is not null || auth.Google is not null)
        {
            sendsSecrets.Add("tokens (JWT, Google), which a listener could replay until they expire");
        }

        if (sendsSecrets.Count > 0 && !bind.UseTls)
        {
            warnings.Add($"{bind.Url} is not encrypted, and clients send {string.Join(" and ", sendsSecrets)} in LOGIN: use wss:// with --cert");
        }

        var modelFile = Pick(cli.Model, file.ModelFile);
        if (!string.IsNullOrEmpty(modelFile) && Directory.Exists(modelFile))
        {
            throw new SettingsException($"{Source(cli.Model, "modelFile")}: '{modelFile}' is a directory; give the objectbox-model.json file in it");
        }

        return new ServerSettings
        {
            ModelFile = modelFile,
            DbDirectory = PickOrDefault(cli.DbDirectory, file.DbDirectory),
            DbMaxSizeBytes = ParseSize(PickOrDefault(cli.DbMaxSize, file.DbMaxSize), Source(cli.DbMaxSize, "dbMaxSize")),
            Bind = bind,
            AdminBind = adminBind,
            UnsecuredNoAuthentication = parsed.GetValue(cli.UnsecuredNoAuthentication) || file.UnsecuredNoAuthentication == true,
            SkipIntegrityCheck = parsed.GetValue(cli.SkipIntegrityCheck) || file.SkipIntegrityCheck == true,
            LogLevel = logLevel,
            CertificatePath = certificatePath,
            HistorySizeMaxKb = maxKb,
            HistorySizeTargetKb = targetKb,
            Workers = (int?)file.Workers,
            AdminSortLimit = (int?)sortLimit ?? Engine.Data.ObjectBrowser.DefaultPropertySortLimit,
            Auth = auth,
            AuthObxAdmin = obxAdmin,
            AuthObxAdminRequired = obxAdmin && (file.Auth.ObxAdminRequired || required.Contains(AuthConfigReader.ObxAdmin)),
            Sync = sync,
            SyncFilters = syncFilters,
            AllowedHosts = allowedHosts,
            TrustedProxies = trustedProxies,
            ConfigFileMessage = configMessage,
            Warnings = warnings,
        };
    }

    /// <summary>The config file's syncFilters with the environment's <c>SyncFilters__Entity</c> variables over them (an
    /// empty variable removes the entity's filter). Parsed against the model when the engine starts.</summary>
    private static Dictionary<string, string>? SyncFilters(IReadOnlyDictionary<string, string>? fromFile, IReadOnlyDictionary<string, string>? environment)
    {
        const string Prefix = "SyncFilters__";
        var variables = environment ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var filters = fromFile is null ? null : new Dictionary<string, string>(fromFile, StringComparer.Ordinal);
        foreach (var (name, value) in variables.Where(v => v.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var entity = name[Prefix.Length..];
            if (entity.Length == 0)
            {
                throw new SettingsException($"Environment variable {name}: name the entity after {Prefix}, e.g. {Prefix}Task");
            }

            filters ??= new Dictionary<string, string>(StringComparer.Ordinal);
            if (string.IsNullOrWhiteSpace(value))
            {
                filters.Remove(entity);
            }
            else
            {
                filters[entity] = value;
            }
        }

        return filters;
    }

    /// <summary>The config file's auth section with the command line's additions; refuses incomplete methods.</summary>
    private static ClientAuthOptions ResolveAuth(ServerCommandLine cli, ParseResult parsed, AuthFileSettings file, List<string> warnings)
    {
        var jwt = file.Jwt;
        if (parsed.GetValue(cli.JwtPublicKeyUrl) is { } urlText)
        {
            var url = AuthConfigReader.ParseUrl(urlText, "--jwt-public-key-url");
            jwt = (jwt ?? new JwtAuthOptions { Name = AuthConfigReader.Jwt }) with { PublicKeyUrl = url, PublicKey = null };
        }

        foreach (var (option, isAudience) in new[] { (cli.JwtClaimAud, true), (cli.JwtClaimIss, false) })
        {
            if (parsed.GetValue(option) is not { Length: > 0 } values)
            {
                continue;
            }

            if (jwt is null)
            {
                throw new SettingsException($"{option.Name} needs JWT logins: give --jwt-public-key-url or the config key auth.jwt");
            }

            jwt = isAudience ? jwt with { Audiences = values } : jwt with { Issuers = values };
        }

        if (jwt is not null)
        {
            CheckKeySource(jwt);
            if (jwt.PublicKeyUrl is { } keyUrl && keyUrl.Scheme == Uri.UriSchemeHttp)
            {
                warnings.Add($"auth.jwt.publicKeyUrl (--jwt-public-key-url): {keyUrl} is plain http://, so anyone on the way can "
                    + "replace the keys and log in with tokens of their own: use https://");
            }

            if (jwt.Audiences.Count == 0)
            {
                warnings.Add("auth.jwt: claimAud (--jwt-claim-aud) is not set, so tokens issued for any audience are accepted");
            }

            if (jwt.Issuers.Count == 0)
            {
                warnings.Add("auth.jwt: claimIss (--jwt-claim-iss) is not set, so tokens from any issuer whose key is configured are accepted");
            }
        }

        var auth = new ClientAuthOptions { SharedSecret = file.SharedSecret, Jwt = jwt, Google = file.Google };
        foreach (var method in parsed.GetValue(cli.AuthRequired) ?? [])
        {
            auth = method switch
            {
                AuthConfigReader.SharedSecret when auth.SharedSecret is { } secret => auth with { SharedSecret = secret with { Required = true } },
                AuthConfigReader.Jwt when auth.Jwt is { } token => auth with { Jwt = token with { Required = true } },
                AuthConfigReader.Google when auth.Google is { } google => auth with { Google = google with { Required = true } },
                AuthConfigReader.ObxAdmin => auth, // checked by the caller
                _ when AuthConfigReader.Methods.Contains(method, StringComparer.Ordinal) =>
                    throw new SettingsException($"--auth-required {method}: that method is not configured"),
                _ => throw new SettingsException($"--auth-required: unknown method '{method}'; use one of {string.Join(", ", AuthConfigReader.Methods)}"),
            };
        }

        return auth;
    }

    private static void CheckKeySource(JwtAuthOptions jwt)
    {
        if (jwt.PublicKey is not null && jwt.PublicKeyUrl is not null)
        {
            throw new SettingsException("auth.jwt: give publicKey or publicKeyUrl (--jwt-public-key-url), not both");
        }

        if (jwt.PublicKey is null && jwt.PublicKeyUrl is null)
        {
            throw new SettingsException("auth.jwt: give publicKey (inline PEM) or publicKeyUrl (--jwt-public-key-url)");
        }

        if (jwt.PublicKey is { } pem)
        {
            try
            {
                _ = JwtKeyParser.Parse(pem);
            }
            catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
            {
                throw new SettingsException($"auth.jwt.publicKey: not a usable public key: {e.Message}");
            }
        }
    }

    private static (ServerConfigFile File, string Message) ReadConfigFile(ServerCommandLine cli, ParseResult parsed)
    {
        var path = parsed.GetValue(cli.Conf)!;
        if (Directory.Exists(path))
        {
            throw new SettingsException($"--conf: '{path}' is a directory (full path {Path.GetFullPath(path)}); give the JSON config file");
        }

        if (File.Exists(path))
        {
            return (ServerConfigFile.Read(path), $"Using configuration file {Path.GetFullPath(path)}");
        }

        if (ServerCommandLine.IsGiven(parsed, cli.Conf))
        {
            throw new SettingsException($"--conf: configuration file '{path}' not found (full path {Path.GetFullPath(path)})");
        }

        return (new ServerConfigFile(), $"Default configuration file {path} not found");
    }

    private static long? ParseSize(string text, string source)
    {
        if (string.Equals(text, "unlimited", StringComparison.OrdinalIgnoreCase) || text == "0")
        {
            return null;
        }

        if (!ByteSize.TryParse(text, out var size, out var error))
        {
            throw new SettingsException($"{source}: {error}");
        }

        return size.Bytes >= SyncEngineOptions.MinimumMaxSizeBytes
            ? size.Bytes
            : throw new SettingsException($"{source}: {text} is too small; the database size limit is at least "
                + $"{ByteSize.Format(SyncEngineOptions.MinimumMaxSizeBytes)} (or 'unlimited')");
    }
}
