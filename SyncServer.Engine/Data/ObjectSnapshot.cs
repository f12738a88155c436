using Microsoft.Data.Sqlite;

namespace SyncServer.Engine.Data;

// One per export, not thread-safe: one enumeration at a time on its connection.
/// <summary>
/// One consistent state of the objects and links, read lazily (rows are streamed, never collected), for exports.
/// </summary>
public sealed class ObjectSnapshot : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal ObjectSnapshot(SqliteConnection connection)
    {
        _connection = connection;
        _transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(position), 0) FROM txlog";
        Position = ObjectBrowser.ToUlong((long)command.ExecuteScalar()!);
    }

    /// <summary>The txlog position of the last transaction the snapshot includes.</summary>
    public ulong Position { get; }

    /// <summary>The entity's objects in ID order, one row at a time.</summary>
    public IEnumerable<StoredObject> Objects(ulong entityUid)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, position, data FROM objects WHERE entity_uid = $uid ORDER BY id";
        command.Parameters.AddWithValue("$uid", ObjectBrowser.ToDb(entityUid));
        foreach (var stored in ObjectBrowser.ReadObjects(command))
        {
            yield return stored;
        }
    }

    /// <summary>The standalone relation's links (source ID, target ID) in source, then target order.</summary>
    public IEnumerable<(ulong Source, ulong Target)> Links(ulong relationUid)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT source_id, target_id FROM links WHERE relation_uid = $uid ORDER BY source_id, target_id";
        command.Parameters.AddWithValue("$uid", ObjectBrowser.ToDb(relationUid));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (ObjectBrowser.ToUlong(reader.GetInt64(0)), ObjectBrowser.ToUlong(reader.GetInt64(1)));
        }
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
