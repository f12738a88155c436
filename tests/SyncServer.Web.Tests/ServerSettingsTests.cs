using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Tests;

/// <summary>Command line + config file resolution, in-process.</summary>
public sealed class ServerSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_are_ObjectBox_defaults()
    {
        var settings = Load("--unsecured-no-authentication");

        Assert.Equal("objectbox", settings.DbDirectory);
        Assert.Equal("ws://0.0.0.0:9999", settings.Bind.Url);
        Assert.True(settings.Bind.IsAllInterfaces);
        Assert.Equal(9999, settings.Bind.Port);
        Assert.Equal("http://127.0.0.1:9980", settings.AdminBind!.Url);
        Assert.Equal("info", settings.LogLevel);
        Assert.Null(settings.DbMaxSizeBytes);
        Assert.Null(settings.ModelFile);
    }

    [Fact]
    public void Config_file_values_apply_and_command_line_values_override_them()
    {
        var config = WriteConfig("""
            {
              "_comment": "keys starting with _ are comments",
              "modelFile": "models/app.json",
              "dbDirectory": "data",
              "bind": "ws://127.0.0.1:7000",
              "adminBind": "http://127.0.0.1:7001",
              "logLevel": "warn",
              "dbMaxSize": "10M",
              "unsecuredNoAuthentication": true
            }
            """);

        var fromFile = Load("-c", config);
        var overridden = Load("-c", config, "--bind", "ws://127.0.0.1:7100", "--log-level", "debug", "--db-max-size", "1G", "-d", "other");

        Assert.Equal(Path.Combine(_dir.Path, "models", "app.json"), fromFile.ModelFile);
        Assert.Equal(Path.Combine(_dir.Path, "data"), fromFile.DbDirectory);
        Assert.Equal(7000, fromFile.Bind.Port);
        Assert.Equal(7001, fromFile.AdminBind!.Port);
        Assert.Equal("warn", fromFile.LogLevel);
        Assert.Equal(10L * 1024 * 1024, fromFile.DbMaxSizeBytes);
        Assert.True(fromFile.UnsecuredNoAuthentication);
        Assert.StartsWith("Using configuration file ", fromFile.ConfigFileMessage, StringComparison.Ordinal);

        Assert.Equal(7100, overridden.Bind.Port);
        Assert.Equal(7001, overridden.AdminBind!.Port);
        Assert.Equal("debug", overridden.LogLevel);
        Assert.Equal(1024L * 1024 * 1024, overridden.DbMaxSizeBytes);
        Assert.Equal("other", overridden.DbDirectory);
    }

    [Fact]
    public void Workers_and_history_limits_come_from_the_config_file()
    {
        var config = WriteConfig("""{ "workers": 8, "historySizeMaxKb": 1024, "historySizeTargetKb": 512 }""");

        var settings = Load("-c", config);
        var engine = settings.ToEngineOptions();

        Assert.Equal(8, settings.Workers);
        Assert.Empty(settings.Warnings);
        Assert.Equal(1024L * 1024, engine.HistoryMaxBytes);
        Assert.Equal(512L * 1024, engine.HistoryTargetBytes);
    }

    [Fact]
    public void Trusted_proxies_and_allowed_hosts_come_from_the_config_file_and_the_environment_replaces_them()
    {
        var config = WriteConfig("""{ "trustedProxies": ["10.0.0.5", "fd00::/8"], "allowedHosts": ["admin.example.org"] }""");
        var cli = new ServerCommandLine();
        var parsed = cli.Root.Parse(["-c", config]);

        var fromFile = ServerSettingsLoader.Load(cli, parsed, new Dictionary<string, string>());
        var fromEnvironment = ServerSettingsLoader.Load(cli, parsed, new Dictionary<string, string>
        {
            [NetworkSettingsReader.TrustedProxiesVariable] = " 192.0.2.0/24 ,192.0.2.200",
            [NetworkSettingsReader.AllowedHostsVariable] = "*",
        });

        Assert.Equal(["10.0.0.5/32", "fd00::/8"], fromFile.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal(["admin.example.org"], fromFile.AllowedHosts);
        Assert.Equal(["192.0.2.0/24", "192.0.2.200/32"], fromEnvironment.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal(["*"], fromEnvironment.AllowedHosts);
        Assert.Empty(Load("--unsecured-no-authentication").TrustedProxies);
    }

    [Fact]
    public void The_admin_sort_limit_defaults_to_200000_and_comes_from_the_config_file_or_the_command_line()
    {
        var config = WriteConfig("""{ "unsecuredNoAuthentication": true, "adminSortLimit": 5000 }""");

        Assert.Equal(200_000, Load("--unsecured-no-authentication").ToEngineOptions().PropertySortLimit);
        Assert.Equal(5000, Load("-c", config).ToEngineOptions().PropertySortLimit);
        Assert.Equal(0, Load("-c", config, "--admin-sort-limit", "0").AdminSortLimit);
    }

    [Fact]
    public void An_unknown_config_key_is_an_error_that_names_it()
    {
        var config = WriteConfig("""{ "bind": "ws://127.0.0.1:7000", "bindd": "x" }""");

        var error = Assert.Throws<SettingsException>(() => Load("-c", config));

        Assert.Contains("unknown key 'bindd'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "logLevel": 3 }""", "key 'logLevel' must be a string")]
    [InlineData("""{ "unsecuredNoAuthentication": "yes" }""", "key 'unsecuredNoAuthentication' must be true or false")]
    [InlineData("""{ "historySizeMaxKb": -1 }""", "key 'historySizeMaxKb' must be a whole number")]
    [InlineData("""{ "historySizeMaxKb": 10, "historySizeTargetKb": 20 }""", "historySizeTargetKb (20) must not be larger than historySizeMaxKb (10)")]
    [InlineData("""{ "historySizeTargetKb": 20 }""", "needs historySizeMaxKb too")]
    [InlineData("""{ "workers": 0 }""", "workers must be between 1 and 1024")]
    [InlineData("""{ "adminSortLimit": -1 }""", "key 'adminSortLimit' must be a whole number")]
    [InlineData("""{ "adminSortLimit": 3000000000 }""", "--admin-sort-limit (config key adminSortLimit): the sort limit must be a number of objects from 0 to 2147483647")]
    [InlineData("""{ "auth": { "sharedSecrets": "s" } }""", "auth.sharedSecrets: unknown authentication method")]
    [InlineData("""{ "auth": { "sharedSecret": "" } }""", "auth.sharedSecret the secret must not be empty")]
    [InlineData("""{ "auth": { "sharedSecret": { "value": "s", "requird": true } } }""", "auth.sharedSecret.requird: unknown key")]
    [InlineData("""{ "auth": { "jwt": { "publicKeyUrl": "https://k.example/keys", "aud": "x" } } }""", "auth.jwt.aud: unknown key")]
    [InlineData("""{ "auth": { "jwt": { "claimAud": "x" } } }""", "auth.jwt: give publicKey (inline PEM) or publicKeyUrl")]
    [InlineData("""{ "auth": { "jwt": { "publicKey": "not a key" } } }""", "auth.jwt.publicKey: not a usable public key")]
    [InlineData("""{ "auth": { "jwt": { "publicKeyUrl": "ftp://k.example/keys" } } }""", "auth.jwt.publicKeyUrl: 'ftp://k.example/keys' is not an http")]
    [InlineData("""{ "auth": { "jwt": { "publicKeyUrl": "https://k.example/keys", "tokenTypes": ["id", "session"] } } }""", "not 'session'")]
    [InlineData("""{ "auth": { "jwt": { "publicKeyUrl": "https://k.example/keys", "claimAud": 5 } } }""", "auth.jwt.claimAud must be a string or an array")]
    [InlineData("""{ "auth": { "google": { "publicKeyUrl": "https://k.example/keys" } } }""", "auth.google.clientIds give your app's OAuth client ID")]
    [InlineData("""{ "auth": { "obxAdmin": "yes" } }""", "auth.obxAdmin must be true, false")]
    [InlineData("""{ "bind": "ws://0.0.0.0" }""", "has no port")]
    [InlineData("""[1, 2]""", "top level must be a JSON object")]
    [InlineData("{ \"bind\": \n  \"x\" \"y\" }", "line 2, column")]
    public void Bad_config_values_are_errors_that_name_the_key(string json, string expected)
    {
        var config = WriteConfig(json);

        var error = Assert.Throws<SettingsException>(() => Load("-c", config));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bind", "http://0.0.0.0:9999", "scheme 'http'")]
    [InlineData("--bind", "ws://example.org:9999", "not an IP address")]
    [InlineData("--bind", "ws://0.0.0.0:99999", "not a number from 1 to 65535")]
    [InlineData("--bind", "wss://0.0.0.0:9999", "needs a TLS certificate")]
    [InlineData("--admin-bind", "http://127.0.0.1:9999", "both use port 9999")]
    [InlineData("--log-level", "chatty", "unknown level 'chatty'")]
    [InlineData("--db-max-size", "12X", "--db-max-size")]
    [InlineData("--admin-sort-limit", "-5", "the sort limit must be a number of objects from 0")]
    public void Bad_command_line_values_are_errors_that_name_the_option(string option, string value, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => Load(option, value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(option == "--admin-bind" ? "--admin-bind" : option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_auth_method_is_read_from_the_config_file()
    {
        var config = WriteConfig("""
            {
              "auth": {
                "_comment": "all of them",
                "sharedSecret": { "value": "s3cret", "required": true },
                "jwt": {
                  "publicKeyUrl": "https://keys.example/jwks.json", "publicKeyCacheExpirationSeconds": 60,
                  "claimAud": ["app-1", "app-2"], "claimIss": "https://issuer.example", "tokenTypes": ["id", "refresh"]
                },
                "google": { "clientIds": "123.apps.googleusercontent.com" },
                "obxAdmin": { "required": false }
              }
            }
            """);

        var settings = Load("-c", config);

        Assert.Equal(new SharedSecretAuthOptions("s3cret", Required: true), settings.Auth.SharedSecret);
        var jwt = settings.Auth.Jwt!;
        Assert.Equal(new Uri("https://keys.example/jwks.json"), jwt.PublicKeyUrl);
        Assert.Equal(TimeSpan.FromSeconds(60), jwt.PublicKeyCacheExpiration);
        Assert.Equal(["app-1", "app-2"], jwt.Audiences);
        Assert.Equal(["https://issuer.example"], jwt.Issuers);
        Assert.Equal([CredentialType.JwtId, CredentialType.JwtRefresh], jwt.CredentialTypes);
        Assert.False(jwt.Required);
        var google = settings.Auth.Google!;
        Assert.Equal(["123.apps.googleusercontent.com"], google.Audiences);
        Assert.Equal(["accounts.google.com", "https://accounts.google.com"], google.Issuers);
        Assert.Equal(new Uri(JwtAuthOptions.GooglePublicKeyUrl), google.PublicKeyUrl);
        Assert.Equal([CredentialType.GoogleAuth], google.CredentialTypes);
        Assert.True(settings.AuthObxAdmin);
        Assert.False(settings.AuthObxAdminRequired);
        Assert.Contains(settings.Warnings, w => w.Contains("is not encrypted", StringComparison.Ordinal));
        Assert.Same(settings.Auth, settings.ToEngineOptions().Auth);
    }

    [Fact]
    public void The_command_line_adds_JWT_options_admin_users_and_required_methods()
    {
        var settings = Load("--jwt-public-key-url", "https://keys.example/pem", "--jwt-claim-aud", "a", "--jwt-claim-aud", "b",
            "--jwt-claim-iss", "https://issuer.example", "--auth-obx-admin", "--auth-required", "jwt", "--auth-required", "obxAdmin");

        Assert.Equal(new Uri("https://keys.example/pem"), settings.Auth.Jwt!.PublicKeyUrl);
        Assert.Equal(["a", "b"], settings.Auth.Jwt.Audiences);
        Assert.Equal(["https://issuer.example"], settings.Auth.Jwt.Issuers);
        Assert.True(settings.Auth.Jwt.Required);
        Assert.True(settings.AuthObxAdmin);
        Assert.True(settings.AuthObxAdminRequired);
        Assert.Null(settings.Auth.SharedSecret);
    }

    [Fact]
    public void A_JWT_without_audience_or_issuer_is_allowed_with_a_warning()
    {
        var settings = Load("--jwt-public-key-url", "https://keys.example/jwks");

        Assert.Contains(settings.Warnings, w => w.Contains("claimAud (--jwt-claim-aud) is not set", StringComparison.Ordinal));
        Assert.Contains(settings.Warnings, w => w.Contains("claimIss (--jwt-claim-iss) is not set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--auth-required sharedSecret", "--auth-required sharedSecret: that method is not configured")]
    [InlineData("--auth-required passkey", "unknown method 'passkey'")]
    [InlineData("--auth-required obxAdmin", "admin user logins are not enabled")]
    [InlineData("--auth-obx-admin --admin-off", "it needs the admin UI")]
    [InlineData("--jwt-claim-aud app", "--jwt-claim-aud needs JWT logins")]
    [InlineData("--jwt-public-key-url keys.json", "--jwt-public-key-url: 'keys.json' is not an http")]
    public void Bad_auth_options_are_errors_that_name_them(string arguments, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => Load(arguments.Split(' ')));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_config_file_that_does_not_exist_is_an_error_but_the_default_one_is_optional()
    {
        var error = Assert.Throws<SettingsException>(() => Load("-c", _dir.Combine("absent.json")));
        var cli = new ServerCommandLine();
        var withDefault = ServerSettingsLoader.Load(cli, cli.Root.Parse([]));

        Assert.Contains("absent.json' not found", error.Message, StringComparison.Ordinal);
        Assert.Equal("Default configuration file sync-server-config.json not found", withDefault.ConfigFileMessage);
    }

    [Theory]
    [InlineData("ws://[::]:9999", true, 9999)]
    [InlineData("ws://*:9000", true, 9000)]
    [InlineData("ws://localhost:9001", false, 9001)]
    [InlineData("wss://10.1.2.3:443", false, 443)]
    public void Bind_addresses_parse(string url, bool allInterfaces, int port)
    {
        var bind = BindAddress.Parse(url, "--bind", "ws", "wss");

        Assert.Equal(allInterfaces, bind.IsAllInterfaces);
        Assert.Equal(port, bind.Port);
        Assert.Equal(url.StartsWith("wss", StringComparison.Ordinal), bind.UseTls);
    }

    private static ServerSettings Load(params string[] args)
    {
        var cli = new ServerCommandLine();
        var parsed = cli.Root.Parse(args);
        Assert.Empty(parsed.Errors);
        return ServerSettingsLoader.Load(cli, parsed);
    }

    private string WriteConfig(string json)
    {
        var path = _dir.Combine("sync-server-config.json");
        File.WriteAllText(path, json);
        return path;
    }
}
