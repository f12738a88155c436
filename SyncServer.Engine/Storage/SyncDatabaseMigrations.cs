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

        // 2: sync data (docs/sync-engine.md): clients, objects, tombstones, links and the transaction log.
        """
        CREATE TABLE clients (
            client_id        BLOB PRIMARY KEY,            -- the client's persistent ID as it sent it at login
            number           INTEGER NOT NULL UNIQUE,     -- 1, 2, 3, ... given at first login; high bits of its global object IDs
            last_tx_id       INTEGER NOT NULL DEFAULT 0,  -- the highest client TX ID applied (older or equal ones are duplicates)
            applied_position INTEGER NOT NULL DEFAULT 0,  -- the highest txlog position the client confirmed it applied
            first_login_utc  TEXT NOT NULL,               -- ISO-8601 UTC
            last_login_utc   TEXT NOT NULL
        );
        CREATE TABLE objects (
            entity_uid INTEGER NOT NULL,  -- the entity's UID (stable across schema versions)
            id         INTEGER NOT NULL,  -- global object ID, the u64 stored as its signed reinterpretation
            data       BLOB NOT NULL,     -- the object's FlatBuffers table
            position   INTEGER NOT NULL,  -- txlog position of the last change
            PRIMARY KEY (entity_uid, id)
        ) WITHOUT ROWID;
        CREATE TABLE tombstones (
            entity_uid INTEGER NOT NULL,
            id         INTEGER NOT NULL,
            position   INTEGER NOT NULL,  -- txlog position of the remove
            precedence INTEGER NOT NULL,  -- the removed object's precedence (0 without a SYNC_PRECEDENCE property)
            clock      INTEGER NOT NULL,  -- the remover's clock (0 without a SYNC_CLOCK property)
            PRIMARY KEY (entity_uid, id)
        ) WITHOUT ROWID;
        CREATE TABLE links (
            relation_uid INTEGER NOT NULL,  -- the standalone relation's UID
            source_id    INTEGER NOT NULL,
            target_id    INTEGER NOT NULL,
            PRIMARY KEY (relation_uid, source_id, target_id)
        ) WITHOUT ROWID;
        CREATE INDEX links_by_target ON links (relation_uid, target_id);
        CREATE TABLE txlog (
            position          INTEGER PRIMARY KEY,  -- 1, 2, 3, ... in commit order
            client_number     INTEGER NOT NULL,     -- the sender's client number; 0 = the server itself
            client_tx_id      INTEGER NOT NULL,
            committed_unix_ms INTEGER NOT NULL,
            op_count          INTEGER NOT NULL,
            ops               BLOB NOT NULL         -- OpCodec encoding (u32 count, ops) of the effective operations
        );
        -- meta 'txlog_retained_from': the first position still in txlog once pruning removed older ones; absent = 1.
        """,
        // 3: sync filters (docs/filters.md): what each client's store converged to, the before-images deliveries need,
        // and the values of the properties filters compare with == or IN.
        """
        ALTER TABLE clients ADD COLUMN filter_state TEXT;  -- FilterState JSON of the filters the client's store matches; NULL: none yet
        ALTER TABLE txlog ADD COLUMN filter_context BLOB;  -- before-images for filtered entities (docs/storage.md); NULL: none recorded
        CREATE TABLE filter_index (
            key   INTEGER NOT NULL,  -- which property: its 1-based place in meta 'filter_index'
            value NOT NULL,          -- integer, real or text, as filters compare the property
            seq   INTEGER NOT NULL,  -- the txlog position that wrote the row (negative: written by a rebuild)
            ids   BLOB NOT NULL,     -- object IDs (u64 little-endian each) that had this value then; some may be stale
            PRIMARY KEY (key, value, seq)
        ) WITHOUT ROWID;
        -- meta 'filter_index': the properties filter_index holds (entityUid:propertyUid,... in key order); rebuilt at start when it differs.
        """,
    ];

    /// <summary>The version a database has once all steps have run.</summary>
    public static int LatestVersion => Steps.Count;
}
