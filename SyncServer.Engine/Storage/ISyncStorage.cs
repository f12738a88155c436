using SyncServer.Engine.Data;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// Thread-safe: every member may be called from any thread. Writes are serialised by the implementation (one writer at a
// time); reads never wait for writes and see the latest commit (a snapshot: one commit for all its reads).
/// <summary>
/// The server's store as the engine uses it: objects, links and tombstones (written only through
/// <see cref="WriteBatch{T}"/>), the TX log, the clients, the schema versions, and the reads of the admin object browser.
/// <see cref="SyncDatabase"/> (SQLite in the data directory) is the one implementation; docs/storage.md is the layout and
/// the rules every implementation keeps: a write returns only once it is durable, positions are consecutive from 1, and a
/// failed write leaves nothing behind.
/// </summary>
internal interface ISyncStorage : IDisposable
{
    /// <summary>Where the data lives, for logs and the status page (a file path, a connection's host).</summary>
    string Location { get; }

    /// <summary>The size of the committed content in bytes.</summary>
    long SizeBytes { get; }

    /// <summary>The size limit (<c>--db-max-size</c>), or null for none.</summary>
    long? MaxSizeBytes { get; }

    // ---- Sync data: the TxWriter's group commits ----

    /// <summary>
    /// Runs <paramref name="work"/> in one durable transaction (committed before this returns, rolled back if it throws);
    /// calls are serialised. The batch's members are valid only inside <paramref name="work"/>.
    /// </summary>
    /// <exception cref="DatabaseFullException">The write hit the size limit; it was rolled back, earlier data is intact.</exception>
    T WriteBatch<T>(Func<ISyncWriteBatch, T> work);

    /// <summary>
    /// True when <paramref name="error"/>, thrown inside a batch, is the store's own failure (full, I/O, lost connection):
    /// the whole batch fails. Any other error fails only the client TX that raised it (undone to its savepoint).
    /// </summary>
    bool IsStorageFailure(Exception error);

    // ---- TX log ----

    /// <summary>The highest TX log position, 0 for an empty log.</summary>
    ulong ReadHead();

    /// <summary>The first position still in the TX log (1 when nothing was pruned).</summary>
    ulong ReadRetainedFrom();

    /// <summary>The TX log's size by the pruner's accounting (<see cref="TxLogPruner.RowOverheadBytes"/> per entry plus its
    /// encoded operations).</summary>
    long MeasureTxLog();

    /// <summary>
    /// The logged TXs from position <paramref name="from"/> to <paramref name="to"/> in position order: at most
    /// <paramref name="maxCount"/>, and stopping before the one whose encoded operations would pass
    /// <paramref name="maxBytes"/> in all, except that with <paramref name="takeOversizedFirst"/> the first one is taken
    /// whatever its size.
    /// </summary>
    IReadOnlyList<StoredTx> ReadTxs(ulong from, ulong to, int maxCount, long maxBytes, bool takeOversizedFirst);

    // ---- Clients ----

    /// <summary>
    /// Records a login of <paramref name="clientId"/> at <paramref name="now"/>: an unknown client gets the next free
    /// client number (1, 2, 3, ...), a known one its last login time updated.
    /// </summary>
    /// <exception cref="InvalidOperationException">The next client number would pass <paramref name="maxClientNumber"/>;
    /// nothing was written.</exception>
    ClientLogin RecordClientLogin(byte[] clientId, DateTimeOffset now, uint maxClientNumber);

    /// <summary>Raises each client's confirmed applied position to the given one (never lowers it), in one transaction.</summary>
    void SaveAppliedPositions(IReadOnlyCollection<KeyValuePair<uint, ulong>> positions);

    void SaveFilterState(uint clientNumber, string? state);

    // ---- Schema versions ----

    /// <summary>All schema versions, by ID.</summary>
    IReadOnlyList<SchemaVersion> ListSchemaVersions();

    /// <summary>The model JSON of version <paramref name="versionId"/> exactly as it was added, or null if there is none.</summary>
    string? ReadModelJson(int versionId);

    /// <summary>Adds a version (not accepting clients) and returns its new ID (1, 2, 3, ...).</summary>
    int AddSchemaVersion(DateTimeOffset created, string source, string modelJson, string modelHash);

    /// <summary>Sets whether clients on the version may log in; false if there is no such version.</summary>
    bool SetAcceptClients(int versionId, bool acceptClients);

    /// <summary>The current version's ID, or null while the store has none.</summary>
    int? ReadCurrentSchemaVersionId();

    /// <summary>Makes <paramref name="versionId"/> the current version.</summary>
    void WriteCurrentSchemaVersionId(int versionId);

    // ---- Objects, for the admin UI ----

    /// <summary>Object count per entity UID (entities without objects are absent).</summary>
    IReadOnlyDictionary<ulong, long> CountObjects();

    /// <summary>One page of an entity's objects by ID or by last change (ties by ID).</summary>
    IReadOnlyList<StoredObject> PageObjects(ulong entityUid, int skip, int take, ObjectOrder order, bool descending);

    /// <summary>One object, or null.</summary>
    StoredObject? GetObject(ulong entityUid, ulong id);

    /// <summary>
    /// Opens a read snapshot: everything read through it is the state after one commit (<see cref="IStorageSnapshot.Position"/>),
    /// whatever is committed meanwhile. Dispose it soon: it holds resources of the store.
    /// </summary>
    IStorageSnapshot OpenSnapshot();
}
