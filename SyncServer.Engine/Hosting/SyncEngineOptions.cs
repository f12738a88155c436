namespace SyncServer.Engine.Hosting;

/// <summary>What the engine needs to start; the host fills it from the command line and config file.</summary>
public sealed record SyncEngineOptions
{
    /// <summary>The objectbox-model.json to load, or null to use the current schema version stored in the database.</summary>
    public string? ModelFile { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>The smallest accepted <see cref="MaxSizeBytes"/>: 64 KB.</summary>
    public const long MinimumMaxSizeBytes = 64 * 1024;

    /// <summary>Maximum database size in bytes (at least <see cref="MinimumMaxSizeBytes"/>); null for no limit.</summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>Skip the integrity check of the database at start (--skip-integrity-check), for huge databases.</summary>
    public bool SkipIntegrityCheck { get; init; }

    /// <summary>Prune the transaction log when it exceeds this many bytes (historySizeMaxKb); null keeps everything.</summary>
    public long? HistoryMaxBytes { get; init; }

    /// <summary>What pruning brings the log down to (historySizeTargetKb); null: 90 % of <see cref="HistoryMaxBytes"/>.</summary>
    public long? HistoryTargetBytes { get; init; }

    /// <summary>The most objects an entity may have for the admin UI to sort it by a property (--admin-sort-limit).</summary>
    public int PropertySortLimit { get; init; } = Data.ObjectBrowser.DefaultPropertySortLimit;

    /// <summary>Accept every client without authentication (development only).</summary>
    public bool UnsecuredNoAuthentication { get; init; }

    /// <summary>The sync filters (config key <c>syncFilters</c>): entity name to filter expression (docs/filters.md).</summary>
    public IReadOnlyDictionary<string, string>? SyncFilters { get; init; }

    /// <summary>The client authentication methods (shared secret, JWT, Google); the host may register more authenticators.</summary>
    public Auth.ClientAuthOptions Auth { get; init; } = new();
}
