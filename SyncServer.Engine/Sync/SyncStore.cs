using System.Globalization;
using Microsoft.Data.Sqlite;
using SyncServer.Engine.Storage;
using SyncServer.Sqlite;

namespace SyncServer.Engine.Sync;

// Owned by the TxWriter and used on its thread only, on the writer connection inside a batch's transaction; not thread-safe.
/// <summary>
/// <see cref="ISyncWriteBatch"/> on SQLite: the sync tables' statements, prepared once on the writer connection
/// (<see cref="PreparedStatement"/>: SQLite's own API, no per-execution allocations) and reused for every operation of
/// every batch, including the per-TX savepoint. <see cref="SyncDatabase.WriteBatch{T}"/> owns it.
/// </summary>
internal sealed class SyncStore : ISyncWriteBatch, IDisposable
{
    private readonly List<PreparedStatement> _statements = [];
    private readonly PreparedStatement _getObject;
    private readonly PreparedStatement _hasObject;
    private readonly PreparedStatement _putObject;
    private readonly PreparedStatement _deleteObject;
    private readonly PreparedStatement _getTombstone;
    private readonly PreparedStatement _getObjectOrTombstone;
    private readonly PreparedStatement _putTombstone;
    private readonly PreparedStatement _deleteTombstone;
    private readonly PreparedStatement _link;
    private readonly PreparedStatement _hasLink;
    private readonly PreparedStatement _unlink;
    private readonly PreparedStatement _unlinkSource;
    private readonly PreparedStatement _unlinkTarget;
    private readonly PreparedStatement _getLastTxId;
    private readonly PreparedStatement _setLastTxId;
    private readonly PreparedStatement _appendTx;
    private readonly PreparedStatement _appendIndexEntries;
    private readonly PreparedStatement _savepoint;
    private readonly PreparedStatement _releaseSavepoint;
    private readonly PreparedStatement _rollbackToSavepoint;

    public SyncStore(SqliteConnection connection)
    {
        Connection = connection;
        _getObject = Prepare("SELECT data FROM objects WHERE entity_uid = ?1 AND id = ?2");
        _hasObject = Prepare("SELECT 1 FROM objects WHERE entity_uid = ?1 AND id = ?2");
        _putObject = Prepare(
            """
            INSERT INTO objects (entity_uid, id, data, position) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (entity_uid, id) DO UPDATE SET data = excluded.data, position = excluded.position
            """);
        _deleteObject = Prepare("DELETE FROM objects WHERE entity_uid = ?1 AND id = ?2");
        _getTombstone = Prepare("SELECT precedence, clock FROM tombstones WHERE entity_uid = ?1 AND id = ?2");
        _getObjectOrTombstone = Prepare(
            """
            SELECT o.data, t.precedence, t.clock FROM (SELECT ?1 AS entity_uid, ?2 AS id) AS k
            LEFT JOIN objects AS o ON o.entity_uid = k.entity_uid AND o.id = k.id
            LEFT JOIN tombstones AS t ON t.entity_uid = k.entity_uid AND t.id = k.id
            """);
        _putTombstone = Prepare(
            """
            INSERT INTO tombstones (entity_uid, id, position, precedence, clock) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (entity_uid, id) DO UPDATE SET
                position = excluded.position, precedence = excluded.precedence, clock = excluded.clock
            """);
        _deleteTombstone = Prepare("DELETE FROM tombstones WHERE entity_uid = ?1 AND id = ?2");
        _link = Prepare("INSERT OR IGNORE INTO links (relation_uid, source_id, target_id) VALUES (?1, ?2, ?3)");
        _hasLink = Prepare("SELECT 1 FROM links WHERE relation_uid = ?1 AND source_id = ?2 AND target_id = ?3");
        _unlink = Prepare("DELETE FROM links WHERE relation_uid = ?1 AND source_id = ?2 AND target_id = ?3");
        _unlinkSource = Prepare("DELETE FROM links WHERE relation_uid = ?1 AND source_id = ?2");
        _unlinkTarget = Prepare("DELETE FROM links WHERE relation_uid = ?1 AND target_id = ?2");
        _getLastTxId = Prepare("SELECT last_tx_id FROM clients WHERE number = ?1");
        _setLastTxId = Prepare("UPDATE clients SET last_tx_id = ?2 WHERE number = ?1");
        _appendTx = Prepare(
            """
            INSERT INTO txlog (position, client_number, client_tx_id, committed_unix_ms, op_count, ops, filter_context)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        // One TX may log a value twice (a TX with no effective ops leaves its position to the next): the IDs are joined.
        _appendIndexEntries = Prepare(
            """
            INSERT INTO filter_index (key, value, seq, ids) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (key, value, seq) DO UPDATE SET ids = ids || excluded.ids
            """);
        _savepoint = Prepare("SAVEPOINT tx");
        _releaseSavepoint = Prepare("RELEASE tx");
        _rollbackToSavepoint = Prepare("ROLLBACK TO tx");
    }

    /// <summary>The connection the statements belong to.</summary>
    public SqliteConnection Connection { get; }

    public byte[]? GetObject(ulong entityUid, ulong id) =>
        _getObject.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).QueryBlob();

    public bool HasObject(ulong entityUid, ulong id) =>
        _hasObject.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).QueryInt64() is not null;

    public void PutObject(ulong entityUid, ulong id, ReadOnlyMemory<byte> data, ulong position) =>
        _putObject.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).Bind(3, data.Span).Bind(4, SyncIds.ToDb(position)).Execute();

    public void DeleteObject(ulong entityUid, ulong id) => _deleteObject.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).Execute();

    public ConflictStamp? GetTombstone(ulong entityUid, ulong id) =>
        _getTombstone.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).QueryInt64Pair() is { } row
            ? new ConflictStamp(SyncIds.FromDb(row.First), SyncIds.FromDb(row.Second))
            : null;

    /// <summary>The stored object's data, or else its tombstone, in one statement (what every PUT checks first).</summary>
    public (byte[]? Data, ConflictStamp? Tombstone) GetObjectOrTombstone(ulong entityUid, ulong id) =>
        _getObjectOrTombstone.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).QueryBlobOrInt64Pair() switch
        {
            (byte[] data, _) => (data, null),
            (null, (long precedence, long clock)) => (null, new ConflictStamp(SyncIds.FromDb(precedence), SyncIds.FromDb(clock))),
            _ => (null, null),
        };

    public void PutTombstone(ulong entityUid, ulong id, ulong position, ConflictStamp stamp) =>
        _putTombstone.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).Bind(3, SyncIds.ToDb(position))
            .Bind(4, SyncIds.ToDb(stamp.Precedence)).Bind(5, SyncIds.ToDb(stamp.Clock)).Execute();

    public void DeleteTombstone(ulong entityUid, ulong id) => _deleteTombstone.Bind(1, SyncIds.ToDb(entityUid)).Bind(2, SyncIds.ToDb(id)).Execute();

    /// <summary>Adds the link; false if it was there already.</summary>
    public bool Link(ulong relationUid, ulong source, ulong target) =>
        _link.Bind(1, SyncIds.ToDb(relationUid)).Bind(2, SyncIds.ToDb(source)).Bind(3, SyncIds.ToDb(target)).Execute() > 0;

    public bool HasLink(ulong relationUid, ulong source, ulong target) =>
        _hasLink.Bind(1, SyncIds.ToDb(relationUid)).Bind(2, SyncIds.ToDb(source)).Bind(3, SyncIds.ToDb(target)).QueryInt64() is not null;

    /// <summary>Removes the link; false if there was none.</summary>
    public bool Unlink(ulong relationUid, ulong source, ulong target) =>
        _unlink.Bind(1, SyncIds.ToDb(relationUid)).Bind(2, SyncIds.ToDb(source)).Bind(3, SyncIds.ToDb(target)).Execute() > 0;

    public void UnlinkSource(ulong relationUid, ulong source) => _unlinkSource.Bind(1, SyncIds.ToDb(relationUid)).Bind(2, SyncIds.ToDb(source)).Execute();

    public void UnlinkTarget(ulong relationUid, ulong target) => _unlinkTarget.Bind(1, SyncIds.ToDb(relationUid)).Bind(2, SyncIds.ToDb(target)).Execute();

    /// <summary>The client's last applied TX ID, or null if there is no such client.</summary>
    public ulong? GetLastTxId(uint clientNumber) =>
        _getLastTxId.Bind(1, clientNumber).QueryInt64() is { } value ? SyncIds.FromDb(value) : null;

    public void SetLastTxId(uint clientNumber, ulong txId) => _setLastTxId.Bind(1, clientNumber).Bind(2, SyncIds.ToDb(txId)).Execute();

    public void AppendTx(ulong position, uint clientNumber, ulong clientTxId, long committedUnixMs, int opCount, byte[] ops, byte[]? filterContext) =>
        _appendTx.Bind(1, SyncIds.ToDb(position)).Bind(2, clientNumber).Bind(3, SyncIds.ToDb(clientTxId)).Bind(4, committedUnixMs)
            .Bind(5, opCount).Bind(6, ops).BindBlobOrNull(7, filterContext).Execute();

    public void AppendIndexEntries(int key, object value, ulong position, IReadOnlyList<ulong> ids)
    {
        var bytes = new byte[ids.Count * 8];
        for (var i = 0; i < ids.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), ids[i]);
        }

        _appendIndexEntries.Bind(1, key).BindValue(2, value).Bind(3, SyncIds.ToDb(position)).Bind(4, bytes).Execute();
    }

    /// <summary>SAVEPOINT tx: the start of one client TX inside the batch's transaction.</summary>
    public void Savepoint() => _savepoint.Execute();

    /// <summary>RELEASE tx: keeps the TX's changes in the batch.</summary>
    public void ReleaseSavepoint() => _releaseSavepoint.Execute();

    /// <summary>ROLLBACK TO tx: undoes the TX's changes (the savepoint stays open; release it next).</summary>
    public void RollbackToSavepoint() => _rollbackToSavepoint.Execute();

    public long MeasureTxLog() => SyncDatabase.MeasureTxLog(Connection);

    public (ulong Cutoff, long Removed) FindTxLogCutoff(long toRemove)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT position, length(ops) + {TxLogPruner.RowOverheadBytes} FROM txlog WHERE position < (SELECT max(position) FROM txlog) ORDER BY position");
        using var reader = command.ExecuteReader();
        long removed = 0;
        ulong cutoff = 0;
        while (removed < toRemove && reader.Read())
        {
            removed += reader.GetInt64(1);
            cutoff = SyncIds.FromDb(reader.GetInt64(0)) + 1;
        }

        return (cutoff, removed);
    }

    public void PruneTxLog(ulong cutoff)
    {
        using (var delete = Connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM txlog WHERE position < $cutoff";
            delete.Parameters.AddWithValue("$cutoff", SyncIds.ToDb(cutoff));
            delete.ExecuteNonQuery();
        }

        using var meta = Connection.CreateCommand();
        meta.CommandText = "INSERT INTO meta (key, value) VALUES ('txlog_retained_from', $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        meta.Parameters.AddWithValue("$value", cutoff.ToString(CultureInfo.InvariantCulture));
        meta.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }
    }

    private PreparedStatement Prepare(string sql)
    {
        var statement = new PreparedStatement(Connection, sql);
        _statements.Add(statement);
        return statement;
    }
}
