using Microsoft.Data.Sqlite;
using SyncServer.Engine.Data;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// One per reader, not thread-safe: one enumeration at a time on its connection.
/// <summary>
/// <see cref="IStorageSnapshot"/> on SQLite: a deferred read transaction on a pooled read-only connection, begun by
/// reading the head, so every later statement sees that commit. Holding it open keeps WAL checkpoints from reusing
/// the log: dispose it soon.
/// </summary>
internal sealed class SqliteSnapshot : IStorageSnapshot
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    /// <param name="connection">An open read connection; the snapshot owns and disposes it.</param>
    public SqliteSnapshot(SqliteConnection connection)
    {
        _connection = connection;
        try
        {
            // Deferred: the snapshot starts with the first read, which is the position.
            _transaction = connection.BeginTransaction(deferred: true);
            Position = SyncDatabase.ReadHead(connection);
        }
        catch
        {
            _transaction?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    public ulong Position { get; }

    public long CountObjects(ulong entityUid)
    {
        using var command = Command("SELECT count(*) FROM objects WHERE entity_uid = $uid", entityUid);
        return (long)command.ExecuteScalar()!;
    }

    public IEnumerable<StoredObject> Objects(ulong entityUid)
    {
        using var command = Command("SELECT id, position, data FROM objects WHERE entity_uid = $uid ORDER BY id", entityUid);
        foreach (var stored in SyncDatabase.ReadObjects(command))
        {
            yield return stored;
        }
    }

    public IEnumerable<(ulong EntityUid, ulong Id, byte[] Data)> AllObjects()
    {
        using var command = Command("SELECT entity_uid, id, data FROM objects ORDER BY entity_uid, id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (SyncIds.FromDb(reader.GetInt64(0)), SyncIds.FromDb(reader.GetInt64(1)), reader.GetFieldValue<byte[]>(2));
        }
    }

    public void ScanObjects(ulong entityUid, ObjectDataVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        using var command = Command("SELECT id, data FROM objects WHERE entity_uid = $uid", entityUid);
        using var reader = command.ExecuteReader();
        var buffer = new byte[4096];
        while (reader.Read())
        {
            var length = (int)reader.GetBytes(1, 0, null, 0, 0);
            if (length > buffer.Length)
            {
                buffer = new byte[Math.Max(length, buffer.Length * 2)];
            }

            reader.GetBytes(1, 0, buffer, 0, length);
            visit(SyncIds.FromDb(reader.GetInt64(0)), buffer.AsSpan(0, length));
        }
    }

    public IReadOnlyList<StoredObject> GetObjects(ulong entityUid, IEnumerable<ulong> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var command = Command("SELECT id, position, data FROM objects WHERE entity_uid = $uid AND id = $id", entityUid);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        var objects = new List<StoredObject>();
        foreach (var objectId in ids)
        {
            id.Value = SyncIds.ToDb(objectId);
            objects.AddRange(SyncDatabase.ReadObjects(command));
        }

        return objects;
    }

    public IEnumerable<(ulong Source, ulong Target)> Links(ulong relationUid)
    {
        using var command = Command("SELECT source_id, target_id FROM links WHERE relation_uid = $uid ORDER BY source_id, target_id", relationUid);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (SyncIds.FromDb(reader.GetInt64(0)), SyncIds.FromDb(reader.GetInt64(1)));
        }
    }

    public IEnumerable<(ulong RelationUid, ulong Source, ulong Target)> AllLinks()
    {
        using var command = Command("SELECT relation_uid, source_id, target_id FROM links ORDER BY relation_uid, source_id, target_id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (SyncIds.FromDb(reader.GetInt64(0)), SyncIds.FromDb(reader.GetInt64(1)), SyncIds.FromDb(reader.GetInt64(2)));
        }
    }

    public IEnumerable<StoredObject> IndexedObjects(ulong entityUid, int key, IReadOnlyList<object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            yield break;
        }

        // One value per statement step keeps the statement prepared once; IDs are merged in order below.
        // The rows' ID lists, merged: an ID may be listed more than once, or no longer have the value (callers check).
        var ids = new SortedSet<long>();
        using (var lookup = Command("SELECT ids FROM filter_index WHERE key = $key AND value = $value"))
        {
            lookup.Parameters.AddWithValue("$key", key);
            var value = lookup.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
            foreach (var candidate in values)
            {
                value.Value = candidate;
                using var reader = lookup.ExecuteReader();
                while (reader.Read())
                {
                    var bytes = reader.GetFieldValue<byte[]>(0);
                    for (var i = 0; i + 8 <= bytes.Length; i += 8)
                    {
                        ids.Add(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i)));
                    }
                }
            }
        }

        using var command = Command("SELECT id, position, data FROM objects WHERE entity_uid = $uid AND id = $id", entityUid);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var objectId in ids)
        {
            id.Value = objectId;
            foreach (var stored in SyncDatabase.ReadObjects(command))
            {
                yield return stored;
            }
        }
    }

    public IEnumerable<ulong> TombstonesAfter(ulong entityUid, ulong afterPosition)
    {
        using var command = Command("SELECT id FROM tombstones WHERE entity_uid = $uid AND position > $after", entityUid);
        command.Parameters.AddWithValue("$after", SyncIds.ToDb(afterPosition));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return SyncIds.FromDb(reader.GetInt64(0));
        }
    }

    public IReadOnlyList<ulong> LinkTargets(ulong relationUid, ulong source)
    {
        using var command = Command("SELECT target_id FROM links WHERE relation_uid = $uid AND source_id = $source", relationUid);
        command.Parameters.AddWithValue("$source", SyncIds.ToDb(source));
        using var reader = command.ExecuteReader();
        var targets = new List<ulong>();
        while (reader.Read())
        {
            targets.Add(SyncIds.FromDb(reader.GetInt64(0)));
        }

        return targets;
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Command(string sql, ulong? uid = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        if (uid is { } value)
        {
            command.Parameters.AddWithValue("$uid", SyncIds.ToDb(value));
        }

        return command;
    }
}
