using Microsoft.Data.Sqlite;
using SyncServer.Engine.Data;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// The admin object browser's reads of the objects table (docs/storage.md).
internal sealed partial class SyncDatabase
{
    public IReadOnlyDictionary<ulong, long> CountObjects() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT entity_uid, count(*) FROM objects GROUP BY entity_uid";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<ulong, long>();
        while (reader.Read())
        {
            counts[SyncIds.FromDb(reader.GetInt64(0))] = reader.GetInt64(1);
        }

        return counts;
    });

    // IDs sort as SQLite stores them (signed), which is their numeric order for every ID below 2^63.
    public IReadOnlyList<StoredObject> PageObjects(ulong entityUid, int skip, int take, ObjectOrder order, bool descending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var column = order == ObjectOrder.LastChange ? "position" : "id";
        var direction = descending ? "DESC" : "ASC";
        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT id, position, data FROM objects WHERE entity_uid = $uid
                ORDER BY {column} {direction}, id {direction} LIMIT $take OFFSET $skip
                """;
            command.Parameters.AddWithValue("$uid", SyncIds.ToDb(entityUid));
            command.Parameters.AddWithValue("$take", take);
            command.Parameters.AddWithValue("$skip", skip);
            return ReadObjects(command).ToList();
        });
    }

    public StoredObject? GetObject(ulong entityUid, ulong id) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, position, data FROM objects WHERE entity_uid = $uid AND id = $id";
        command.Parameters.AddWithValue("$uid", SyncIds.ToDb(entityUid));
        command.Parameters.AddWithValue("$id", SyncIds.ToDb(id));
        return ReadObjects(command).FirstOrDefault();
    });

    public IStorageSnapshot OpenSnapshot() => new SqliteSnapshot(OpenReadConnection());

    internal static IEnumerable<StoredObject> ReadObjects(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredObject(SyncIds.FromDb(reader.GetInt64(0)), SyncIds.FromDb(reader.GetInt64(1)), (byte[])reader.GetValue(2));
        }
    }
}
