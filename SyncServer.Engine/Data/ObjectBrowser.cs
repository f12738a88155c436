using Microsoft.Data.Sqlite;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Data;

// Singleton, thread-safe: every call reads on its own pooled read-only connection; nothing here writes.
/// <summary>
/// Read-only access to the stored objects and links for the admin UI: counts, pages sorted by ID or last change (SQL) or
/// by one property's value (<see cref="PageByProperty"/>, bounded by <see cref="PropertySortLimit"/>), one object,
/// and <see cref="OpenSnapshot"/> for a consistent streamed export. Objects are keyed by entity UID (docs/storage.md);
/// decoding them is the caller's business (<see cref="Core.Objects.ObjectCodec"/>).
/// </summary>
public sealed partial class ObjectBrowser
{
    /// <summary>The default of the property sort limit (--admin-sort-limit).</summary>
    public const int DefaultPropertySortLimit = 200_000;

    /// <summary>The most objects an entity may have to be sorted by a property.</summary>
    public int PropertySortLimit { get; }

    private readonly SyncDatabase _database;

    /// <param name="database">The store to read.</param>
    /// <param name="propertySortLimit">The most objects an entity may have for <see cref="PageByProperty"/> (which decodes
    /// one field of each); larger entities sort by ID or last change only.</param>
    internal ObjectBrowser(SyncDatabase database, int propertySortLimit = DefaultPropertySortLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(propertySortLimit);
        _database = database;
        PropertySortLimit = propertySortLimit;
    }

    /// <summary>Object count per entity UID (entities without objects are absent).</summary>
    public IReadOnlyDictionary<ulong, long> CountAll() => _database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT entity_uid, count(*) FROM objects GROUP BY entity_uid";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<ulong, long>();
        while (reader.Read())
        {
            counts[ToUlong(reader.GetInt64(0))] = reader.GetInt64(1);
        }

        return counts;
    });

    public long Count(ulong entityUid) => _database.Read(connection => Count(connection, entityUid));

    /// <summary>
    /// One page of an entity's objects. IDs sort as SQLite stores them (signed), which is their numeric order for every
    /// ID below 2^63.
    /// </summary>
    public IReadOnlyList<StoredObject> Page(ulong entityUid, int skip, int take, ObjectOrder order = ObjectOrder.Id, bool descending = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var column = order == ObjectOrder.LastChange ? "position" : "id";
        var direction = descending ? "DESC" : "ASC";
        return _database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT id, position, data FROM objects WHERE entity_uid = $uid
                ORDER BY {column} {direction}, id {direction} LIMIT $take OFFSET $skip
                """;
            command.Parameters.AddWithValue("$uid", ToDb(entityUid));
            command.Parameters.AddWithValue("$take", take);
            command.Parameters.AddWithValue("$skip", skip);
            return ReadObjects(command).ToList();
        });
    }

    public StoredObject? Get(ulong entityUid, ulong id) => _database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, position, data FROM objects WHERE entity_uid = $uid AND id = $id";
        command.Parameters.AddWithValue("$uid", ToDb(entityUid));
        command.Parameters.AddWithValue("$id", ToDb(id));
        return ReadObjects(command).FirstOrDefault();
    });

    /// <summary>
    /// A read transaction over all objects and links: what it returns is one committed state, whatever is written while
    /// it is read. Dispose it soon (it holds back WAL checkpoints).
    /// </summary>
    public ObjectSnapshot OpenSnapshot() => new(_database.OpenReadConnection());

    private static long Count(SqliteConnection connection, ulong entityUid)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM objects WHERE entity_uid = $uid";
        command.Parameters.AddWithValue("$uid", ToDb(entityUid));
        return (long)command.ExecuteScalar()!;
    }

    internal static IEnumerable<StoredObject> ReadObjects(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredObject(ToUlong(reader.GetInt64(0)), ToUlong(reader.GetInt64(1)), (byte[])reader.GetValue(2));
        }
    }

    internal static long ToDb(ulong value) => unchecked((long)value);

    internal static ulong ToUlong(long value) => unchecked((ulong)value);
}
