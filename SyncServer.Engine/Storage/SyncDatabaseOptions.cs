namespace SyncServer.Engine.Storage;

/// <summary>Where and how big: the settings <see cref="SyncDatabase.Open"/> needs.</summary>
internal sealed record SyncDatabaseOptions
{
    /// <summary>The data directory (<c>--db-directory</c>); the database file is <c>sync-server.db</c> inside it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The size limit of the database (<c>--db-max-size</c>); null means unlimited.</summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>Skip <c>PRAGMA quick_check</c> at open (<c>--skip-integrity-check</c>): for databases so large that the
    /// check (it reads every page) would delay the start too long.</summary>
    public bool SkipIntegrityCheck { get; init; }

    /// <summary>How long a connection waits for a lock held by another connection before failing with SQLITE_BUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
