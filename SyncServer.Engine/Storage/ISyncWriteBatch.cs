using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// Used by one thread only, inside ISyncStorage.WriteBatch: not thread-safe, not valid after the batch returned.
/// <summary>
/// What the TxWriter does inside one group commit: read and change objects, tombstones and links, keep each client's
/// last applied TX ID, append to the TX log and prune it, and mark each client TX with a savepoint so that a failing TX
/// is undone alone while the rest of the batch commits. IDs, UIDs and positions are unsigned; how they are stored is
/// the implementation's business (docs/storage.md).
/// </summary>
internal interface ISyncWriteBatch
{
    byte[]? GetObject(ulong entityUid, ulong id);

    /// <summary>Whether the object is stored (a LINK needs both ends stored, docs/conflicts.md).</summary>
    bool HasObject(ulong entityUid, ulong id);

    void PutObject(ulong entityUid, ulong id, ReadOnlyMemory<byte> data, ulong position);

    void DeleteObject(ulong entityUid, ulong id);

    ConflictStamp? GetTombstone(ulong entityUid, ulong id);

    /// <summary>The stored object's data, or else its tombstone (what every PUT checks first).</summary>
    (byte[]? Data, ConflictStamp? Tombstone) GetObjectOrTombstone(ulong entityUid, ulong id);

    void PutTombstone(ulong entityUid, ulong id, ulong position, ConflictStamp stamp);

    void DeleteTombstone(ulong entityUid, ulong id);

    /// <summary>Whether the link is stored.</summary>
    bool HasLink(ulong relationUid, ulong source, ulong target);

    /// <summary>Adds the link; false if it was there already.</summary>
    bool Link(ulong relationUid, ulong source, ulong target);

    /// <summary>Removes the link; false if there was none.</summary>
    bool Unlink(ulong relationUid, ulong source, ulong target);

    /// <summary>Removes every link of the relation from <paramref name="source"/>.</summary>
    void UnlinkSource(ulong relationUid, ulong source);

    /// <summary>Removes every link of the relation to <paramref name="target"/>.</summary>
    void UnlinkTarget(ulong relationUid, ulong target);

    /// <summary>The client's last applied TX ID, or null if there is no such client.</summary>
    ulong? GetLastTxId(uint clientNumber);

    void SetLastTxId(uint clientNumber, ulong txId);

    /// <summary>Appends one entry to the TX log; <paramref name="position"/> is the head plus one.</summary>
    void AppendTx(ulong position, uint clientNumber, ulong clientTxId, long committedUnixMs, int opCount, byte[] ops, byte[]? filterContext);

    /// <summary>Records in the filter index that the objects <paramref name="ids"/> have <paramref name="value"/> (long, double
    /// or string) for the indexed property <paramref name="key"/> (<see cref="Filters.FilterIndexKey.Number"/>), as of the
    /// TX at <paramref name="position"/> (docs/storage.md).</summary>
    void AppendIndexEntries(int key, object value, ulong position, IReadOnlyList<ulong> ids);

    /// <summary>The TX log's size by the pruner's accounting, as of this batch.</summary>
    long MeasureTxLog();

    /// <summary>
    /// Oldest first, never the newest entry: the first position to keep once at least <paramref name="toRemove"/> bytes
    /// (pruner accounting) would be gone, with the bytes that removes; (0, 0) when nothing can go.
    /// </summary>
    (ulong Cutoff, long Removed) FindTxLogCutoff(long toRemove);

    /// <summary>Deletes the TX log entries before <paramref name="cutoff"/> and records it as the first retained position.</summary>
    void PruneTxLog(ulong cutoff);

    /// <summary>Starts one client TX inside the batch.</summary>
    void Savepoint();

    /// <summary>Keeps the TX's changes in the batch.</summary>
    void ReleaseSavepoint();

    /// <summary>Undoes the TX's changes (the savepoint stays open; release it next).</summary>
    void RollbackToSavepoint();
}
