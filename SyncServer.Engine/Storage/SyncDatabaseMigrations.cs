namespace SyncServer.Engine.Storage;

/// <summary>
/// The database schema as a list of steps. Step N brings a database from <c>PRAGMA user_version</c> N-1 to N; each runs
/// in its own transaction together with the user_version update. Never edit a released step: add a new one.
/// </summary>
internal static class SyncDatabaseMigrations
{
    /// <summary>The steps in order; <c>Steps[i]</c> is version i + 1.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        // 1: settings of this server instance, and the history of data model (schema) versions.
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE schema_version (
            id             INTEGER PRIMARY KEY,
            created_utc    TEXT NOT NULL,    -- ISO-8601 UTC, e.g. 2026-11-26T13:09:15.6995000Z
            source         TEXT NOT NULL,    -- where the model came from (file path, upload, client)
            model_json     TEXT NOT NULL,    -- the objectbox-model.json text as received
            model_hash     TEXT NOT NULL,    -- hash of model_json, to spot an identical model
            accept_clients INTEGER NOT NULL  -- 1 if clients with this schema version may sync, else 0
        );
        """,
    ];

    /// <summary>The version a database has once all steps have run.</summary>
    public static int LatestVersion => Steps.Count;
}
