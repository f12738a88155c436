using Microsoft.Data.Sqlite;

namespace SyncServer.Engine.Sync;

// One per TxWriter batch, on the writer connection inside its transaction; not thread-safe.
/// <summary>The sync tables' statements, prepared once per batch and reused for every operation in it.</summary>
internal sealed class SyncStore : IDisposable
{
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _getObject;
    private readonly SqliteCommand _putObject;
    private readonly SqliteCommand _deleteObject;
    private readonly SqliteCommand _getTombstone;
    private readonly SqliteCommand _putTombstone;
    private readonly SqliteCommand _deleteTombstone;
    private readonly SqliteCommand _link;
    private readonly SqliteCommand _unlink;
    private readonly SqliteCommand _unlinkSource;
    private readonly SqliteCommand _unlinkTarget;
    private readonly SqliteCommand _getLastTxId;
    private readonly SqliteCommand _setLastTxId;
    private readonly SqliteCommand _appendTx;

    public SyncStore(SqliteConnection connection)
    {
        _connection = connection;
        _getObject = Prepare("SELECT data FROM objects WHERE entity_uid = $uid AND id = $id", "$uid", "$id");
        _putObject = Prepare(
            """
            INSERT INTO objects (entity_uid, id, data, position) VALUES ($uid, $id, $data, $position)
            ON CONFLICT (entity_uid, id) DO UPDATE SET data = excluded.data, position = excluded.position
            """,
            "$uid", "$id", "$data", "$position");
        _deleteObject = Prepare("DELETE FROM objects WHERE entity_uid = $uid AND id = $id", "$uid", "$id");
        _getTombstone = Prepare("SELECT precedence, clock FROM tombstones WHERE entity_uid = $uid AND id = $id", "$uid", "$id");
        _putTombstone = Prepare(
            """
            INSERT INTO tombstones (entity_uid, id, position, precedence, clock) VALUES ($uid, $id, $position, $precedence, $clock)
            ON CONFLICT (entity_uid, id) DO UPDATE SET
                position = excluded.position, precedence = excluded.precedence, clock = excluded.clock
            """,
            "$uid", "$id", "$position", "$precedence", "$clock");
        _deleteTombstone = Prepare("DELETE FROM tombstones WHERE entity_uid = $uid AND id = $id", "$uid", "$id");
        _link = Prepare(
            "INSERT OR IGNORE INTO links (relation_uid, source_id, target_id) VALUES ($uid, $source, $target)",
            "$uid", "$source", "$target");
        _unlink = Prepare(
            "DELETE FROM links WHERE relation_uid = $uid AND source_id = $source AND target_id = $target",
            "$uid", "$source", "$target");
        _unlinkSource = Prepare("DELETE FROM links WHERE relation_uid = $uid AND source_id = $id", "$uid", "$id");
        _unlinkTarget = Prepare("DELETE FROM links WHERE relation_uid = $uid AND target_id = $id", "$uid", "$id");
        _getLastTxId = Prepare("SELECT last_tx_id FROM clients WHERE number = $number", "$number");
        _setLastTxId = Prepare("UPDATE clients SET last_tx_id = $txId WHERE number = $number", "$number", "$txId");
        _appendTx = Prepare(
            """
            INSERT INTO txlog (position, client_number, client_tx_id, committed_unix_ms, op_count, ops)
            VALUES ($position, $client, $txId, $committed, $count, $ops)
            """,
            "$position", "$client", "$txId", "$committed", "$count", "$ops");
    }

    public byte[]? GetObject(ulong entityUid, ulong id) =>
        Run(_getObject, entityUid, id).ExecuteScalar() as byte[];

    public void PutObject(ulong entityUid, ulong id, ReadOnlyMemory<byte> data, ulong position) =>
        Run(_putObject, entityUid, id, data.ToArray(), position).ExecuteNonQuery();

    public void DeleteObject(ulong entityUid, ulong id) => Run(_deleteObject, entityUid, id).ExecuteNonQuery();

    public ConflictStamp? GetTombstone(ulong entityUid, ulong id)
    {
        using var reader = Run(_getTombstone, entityUid, id).ExecuteReader();
        return reader.Read() ? new ConflictStamp(SyncIds.FromDb(reader.GetInt64(0)), SyncIds.FromDb(reader.GetInt64(1))) : null;
    }

    public void PutTombstone(ulong entityUid, ulong id, ulong position, ConflictStamp stamp) =>
        Run(_putTombstone, entityUid, id, position, stamp.Precedence, stamp.Clock).ExecuteNonQuery();

    public void DeleteTombstone(ulong entityUid, ulong id) => Run(_deleteTombstone, entityUid, id).ExecuteNonQuery();

    /// <summary>Adds the link; false if it was there already.</summary>
    public bool Link(ulong relationUid, ulong source, ulong target) =>
        Run(_link, relationUid, source, target).ExecuteNonQuery() > 0;

    /// <summary>Removes the link; false if there was none.</summary>
    public bool Unlink(ulong relationUid, ulong source, ulong target) =>
        Run(_unlink, relationUid, source, target).ExecuteNonQuery() > 0;

    public void UnlinkSource(ulong relationUid, ulong source) => Run(_unlinkSource, relationUid, source).ExecuteNonQuery();

    public void UnlinkTarget(ulong relationUid, ulong target) => Run(_unlinkTarget, relationUid, target).ExecuteNonQuery();

    /// <summary>The client's last applied TX ID, or null if there is no such client.</summary>
    public ulong? GetLastTxId(uint clientNumber) =>
        Run(_getLastTxId, clientNumber).ExecuteScalar() is long value ? SyncIds.FromDb(value) : null;

    public void SetLastTxId(uint clientNumber, ulong txId) => Run(_setLastTxId, clientNumber, txId).ExecuteNonQuery();

    public void AppendTx(ulong position, uint clientNumber, ulong clientTxId, long committedUnixMs, int opCount, byte[] ops) =>
        Run(_appendTx, position, clientNumber, clientTxId, committedUnixMs, opCount, ops).ExecuteNonQuery();

    /// <summary>The highest txlog position, 0 for an empty log.</summary>
    public static ulong ReadHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(position), 0) FROM txlog";
        return SyncIds.FromDb((long)command.ExecuteScalar()!);
    }

    /// <summary>The first position still in the txlog (meta <c>txlog_retained_from</c>; 1 when nothing was pruned).</summary>
    public static ulong ReadRetainedFrom(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'txlog_retained_from'";
        return command.ExecuteScalar() is string text ? ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 1;
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(name, name is "$data" or "$ops" ? SqliteType.Blob : SqliteType.Integer);
        }

        _commands.Add(command);
        return command;
    }

    private static SqliteCommand Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                ulong u => SyncIds.ToDb(u),
                uint n => (long)n,
                var other => other,
            };
        }

        return command;
    }
}
