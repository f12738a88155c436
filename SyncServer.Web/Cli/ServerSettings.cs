using SyncServer.Engine.Auth;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Web.Cli;

/// <summary>
/// The resolved server settings: built-in defaults, overridden by the config file, overridden by the command line.
/// Immutable; produced by <see cref="ServerSettingsLoader"/>.
/// </summary>
internal sealed record ServerSettings
{
    public const string DefaultDbDirectory = "objectbox";
    public const string DefaultBind = "ws://0.0.0.0:9999";
    public const string DefaultAdminBind = "http://127.0.0.1:9980";
    public const string DefaultConfigFile = "sync-server-config.json";
    public const string DefaultLogLevel = "info";

    /// <summary>The largest historySizeMaxKb / historySizeTargetKb: 2^40 KB (1 PB), so the size in bytes cannot overflow.</summary>
    public const long MaxHistorySizeKb = 1L << 40;

    public string? ModelFile { get; init; }
    public string DbDirectory { get; init; } = DefaultDbDirectory;
    /// <summary>Null means no limit.</summary>
    public long? DbMaxSizeBytes { get; init; }
    public required BindAddress Bind { get; init; }
    /// <summary>Null when the admin UI is off.</summary>
    public BindAddress? AdminBind { get; init; }
    public bool UnsecuredNoAuthentication { get; init; }
    public string LogLevel { get; init; } = DefaultLogLevel;
    public string? CertificatePath { get; init; }
    /// <summary>--skip-integrity-check / skipIntegrityCheck: no PRAGMA quick_check of the database at start.</summary>
    public bool SkipIntegrityCheck { get; init; }
    public long? HistorySizeMaxKb { get; init; }
    public long? HistorySizeTargetKb { get; init; }
    /// <summary>Thread-pool worker threads kept ready (ThreadPool.SetMinThreads); null leaves .NET's default (one per core).</summary>
    public int? Workers { get; init; }

    /// <summary>--admin-sort-limit / adminSortLimit: the most objects an entity may have to be sorted by a property in the admin UI.</summary>
    public int AdminSortLimit { get; init; } = Engine.Data.ObjectBrowser.DefaultPropertySortLimit;

    /// <summary>The engine's client authentication methods (shared secret, JWT, Google).</summary>
    public ClientAuthOptions Auth { get; init; } = new();

    /// <summary>auth.obxAdmin / --auth-obx-admin: admin UI users may log in as sync clients.</summary>
    public bool AuthObxAdmin { get; init; }

    public bool AuthObxAdminRequired { get; init; }

    /// <summary>
    /// allowedHosts / SYNCSERVER_ALLOWED_HOSTS: host names the admin UI answers to besides the admin bind's address and
    /// localhost, 127.0.0.1, [::1] (and, for an all-interfaces bind, this machine's name and addresses); "*" for any.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>trustedProxies / SYNCSERVER_TRUSTED_PROXIES: the proxies whose X-Forwarded-For (and -Proto) is believed.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>syncFilters / SyncFilters__Entity: entity name to sync filter expression (docs/filters.md), checked
    /// against the model when the engine starts.</summary>
    public IReadOnlyDictionary<string, string>? SyncFilters { get; init; }

    /// <summary>The session limits, validated (config key <c>sync</c>, environment <c>Sync__X</c>).</summary>
    public SyncOptions Sync { get; init; } = new();

    /// <summary>What happened with the config file, for the start-up log ("Default configuration file ... not found").</summary>
    public required string ConfigFileMessage { get; init; }

    /// <summary>Warnings found while resolving (deprecated options, settings not in effect yet), logged at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public SyncEngineOptions ToEngineOptions() => new()
    {
        ModelFile = ModelFile,
        DataDirectory = DbDirectory,
        MaxSizeBytes = DbMaxSizeBytes,
        SkipIntegrityCheck = SkipIntegrityCheck,
        HistoryMaxBytes = checked(HistorySizeMaxKb * 1024),
        HistoryTargetBytes = checked(HistorySizeTargetKb * 1024),
        UnsecuredNoAuthentication = UnsecuredNoAuthentication,
        PropertySortLimit = AdminSortLimit,
        Auth = Auth,
        SyncFilters = SyncFilters,
    };
}
