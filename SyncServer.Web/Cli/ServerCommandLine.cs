using System.CommandLine;

namespace SyncServer.Web.Cli;

/// <summary>
/// The sync-server command line (System.CommandLine). Option names follow ObjectBox Sync Server's.
/// Every value here overrides the same key of the config file; defaults apply only when neither sets it.
/// </summary>
internal sealed class ServerCommandLine
{
    public ServerCommandLine()
    {
        Root = new RootCommand("SyncServer: a self-hostable data synchronization server for ObjectBox-model apps.")
        {
            Model, DbDirectory, Bind, AdminBind, AdminOff, Conf, UnsecuredNoAuthentication, LogLevel, Debug, Cert, DbMaxSize,
            HistorySizeMaxKb, HistorySizeTargetKb, AuthObxAdmin, JwtPublicKeyUrl, JwtClaimAud, JwtClaimIss, AuthRequired,
            AdminSortLimit, SkipIntegrityCheck,
        };
        foreach (var option in Root.Options.OfType<VersionOption>())
        {
            option.Aliases.Add("-v");
        }
    }

    public RootCommand Root { get; }

    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "The objectbox-model.json file; it initialises the schema, and a changed model becomes a new schema version. "
            + "Without it the current schema version stored in the database is used. Config key: modelFile",
        HelpName = "file",
    };

    public Option<string> DbDirectory { get; } = new("--db-directory", "-d")
    {
        Description = "Directory of the database files; created if missing. Config key: dbDirectory",
        HelpName = "dir",
        DefaultValueFactory = _ => ServerSettings.DefaultDbDirectory,
    };

    public Option<string> Bind { get; } = new("--bind", "-b")
    {
        Description = "Sync endpoint URL clients connect to (ws:// or, with --cert, wss://). Config key: bind",
        HelpName = "url",
        DefaultValueFactory = _ => ServerSettings.DefaultBind,
    };

    public Option<string> AdminBind { get; } = new("--admin-bind")
    {
        Description = "Admin web UI URL (http:// or, with --cert, https://). Config key: adminBind",
        HelpName = "url",
        DefaultValueFactory = _ => ServerSettings.DefaultAdminBind,
    };

    public Option<bool> AdminOff { get; } = new("--admin-off")
    {
        Description = "Do not start the admin web UI.",
    };

    public Option<string> Conf { get; } = new("--conf", "-c")
    {
        Description = "JSON config file; the default one is optional, a file named here must exist.",
        HelpName = "file",
        DefaultValueFactory = _ => ServerSettings.DefaultConfigFile,
    };

    public Option<bool> UnsecuredNoAuthentication { get; } = new("--unsecured-no-authentication")
    {
        Description = "INSECURE, for development only: accept every client without any authentication. "
            + "Config key: unsecuredNoAuthentication",
    };

    public Option<string> LogLevel { get; } = new("--log-level")
    {
        Description = "Log level: all, trace, verbose, debug, info, warn, error, none. Config key: logLevel",
        HelpName = "level",
        DefaultValueFactory = _ => ServerSettings.DefaultLogLevel,
    };

    public Option<bool> Debug { get; } = new("--debug")
    {
        Description = "Deprecated: same as --log-level debug.",
    };

    public Option<string?> Cert { get; } = new("--cert")
    {
        Description = "TLS certificate: a directory with cert.pem (the certificate, then any intermediates) and key.pem, or the certificate file with key.pem beside it. "
            + "Used by wss:// and https:// binds. Config key: certificatePath",
        HelpName = "path",
    };

    public Option<string> DbMaxSize { get; } = new("--db-max-size")
    {
        Description = "Maximum database size, a number with an optional K, M, G or T suffix (1024-based), or 'unlimited'; "
            + "writes beyond it fail. Config key: dbMaxSize",
        HelpName = "size",
        DefaultValueFactory = _ => "unlimited",
    };

    public Option<bool> SkipIntegrityCheck { get; } = new("--skip-integrity-check")
    {
        Description = "Do not check the database for damage at start (PRAGMA quick_check reads every page: seconds per GB). "
            + "For huge databases; a damaged one is then only found when it is read. Config key: skipIntegrityCheck",
    };

    public Option<long?> HistorySizeMaxKb { get; } = new("--history-size-max-kb")
    {
        Description = "Prune the oldest transactions when the transaction log grows past this many KB; clients that were "
            + "behind them get a full sync. Default: keep everything. Config key: historySizeMaxKb",
        HelpName = "kb",
    };

    public Option<long?> HistorySizeTargetKb { get; } = new("--history-size-target-kb")
    {
        Description = "What pruning brings the transaction log down to, in KB. Default: 90% of the maximum. Config key: historySizeTargetKb",
        HelpName = "kb",
    };

    public Option<long?> AdminSortLimit { get; } = new("--admin-sort-limit")
    {
        Description = "The admin UI sorts an entity's objects by a property only up to this many objects (each such sort "
            + "decodes every object); larger entities sort by ID or last change. Default: 200000. Config key: adminSortLimit",
        HelpName = "objects",
    };

    public Option<bool> AuthObxAdmin { get; } = new("--auth-obx-admin")
    {
        Description = "Let admin UI users log in as sync clients with their user name and password (credential type "
            + "ObxAdminUser; use wss://). Config key: auth.obxAdmin",
    };

    public Option<string?> JwtPublicKeyUrl { get; } = new("--jwt-public-key-url")
    {
        Description = "Enable JWT logins with keys from this URL (a JWKS, a JSON map of x509 certificates, or PEM). "
            + "Config key: auth.jwt.publicKeyUrl",
        HelpName = "url",
    };

    public Option<string[]> JwtClaimAud { get; } = new("--jwt-claim-aud")
    {
        Description = "Accepted JWT audience (aud); repeat for several. Config key: auth.jwt.claimAud",
        HelpName = "aud",
    };

    public Option<string[]> JwtClaimIss { get; } = new("--jwt-claim-iss")
    {
        Description = "Accepted JWT issuer (iss); repeat for several. Config key: auth.jwt.claimIss",
        HelpName = "iss",
    };

    public Option<string[]> AuthRequired { get; } = new("--auth-required")
    {
        Description = "Mark an authentication method required (sharedSecret, jwt, google, obxAdmin); repeat for several. With a "
            + "required method, logins with any other method are refused. Config key: auth.<method>.required",
        HelpName = "method",
    };

    /// <summary>True when the option was typed on the command line (not a default).</summary>
    public static bool IsGiven(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
