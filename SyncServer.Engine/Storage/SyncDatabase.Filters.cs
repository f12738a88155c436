using Microsoft.Data.Sqlite;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// The sync filters' tables: filter_index and clients.filter_state (docs/storage.md, docs/filters.md).
internal sealed partial class SyncDatabase
{
    private const string FilterIndexMetaKey = "filter_index";

    /// <summary>
    /// Makes <c>filter_index</c> hold exactly the values of <paramref name="filters"/>' indexed properties: when the
    /// stored signature differs (filters added, changed or removed since the last start), the table is emptied and
    /// refilled from the objects in one transaction. Nothing is written when it matches.
    /// </summary>
    /// <returns>How many index entries were written (0 when the index was current).</returns>
    public long EnsureFilterIndex(SyncFilterSet filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var (stored, listed, live) = Read(connection => (
            ReadMeta(connection, FilterIndexMetaKey) ?? "",
            QueryInt64(connection, "SELECT coalesce(sum(length(ids)), 0) / 8 FROM filter_index"),
            CountIndexed(connection, filters)));
        var current = string.Equals(stored, filters.IndexSignature, StringComparison.Ordinal);
        // Entries that no longer hold are skipped by every read; past twice the live ones the index is compacted.
        if (current && listed <= (2 * live) + 10_000)
        {
            return 0;
        }

        var written = Write((connection, _) =>
        {
            using (var clear = connection.CreateCommand())
            {
                clear.CommandText = "DELETE FROM filter_index";
                clear.ExecuteNonQuery();
            }

            // Grouped by (key, value) in memory per entity, then one row per 1,000 IDs.
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO filter_index (key, value, seq, ids) VALUES ($key, $value, $seq, $ids)";
            var keyParameter = insert.Parameters.Add("$key", SqliteType.Integer);
            var value = insert.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var idsParameter = insert.Parameters.Add("$ids", SqliteType.Blob);
            long count = 0, nextSeq = -1;
            foreach (var entityUid in filters.IndexedProperties.Select(k => k.EntityUid).Distinct())
            {
                var groups = new Dictionary<(int Key, object Value), List<long>>();
                using (var select = connection.CreateCommand())
                {
                    select.CommandText = "SELECT id, data FROM objects WHERE entity_uid = $uid";
                    select.Parameters.AddWithValue("$uid", SyncIds.ToDb(entityUid));
                    using var reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        foreach (var entry in FilterIndexer.Keys(filters, entityUid, reader.GetFieldValue<byte[]>(1)))
                        {
                            if (!groups.TryGetValue(entry, out var ids))
                            {
                                groups[entry] = ids = [];
                            }

                            ids.Add(reader.GetInt64(0));
                        }
                    }
                }

                foreach (var ((key, stored), ids) in groups)
                {
                    foreach (var chunk in ids.Chunk(1000))
                    {
                        var bytes = new byte[chunk.Length * 8];
                        for (var i = 0; i < chunk.Length; i++)
                        {
                            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), chunk[i]);
                        }

                        keyParameter.Value = key;
                        value.Value = stored;
                        seq.Value = nextSeq--;
                        idsParameter.Value = bytes;
                        insert.ExecuteNonQuery();
                        count += chunk.Length;
                    }
                }
            }

            WriteMeta(connection, FilterIndexMetaKey, filters.IndexSignature);
            return count;
        });
        StorageLog.FilterIndexBuilt(_logger, filters.IndexedProperties.Count, written);
        return written;
    }

    // An upper bound of the entries the index needs: each indexed property of each object of its entity.
    private static long CountIndexed(SqliteConnection connection, SyncFilterSet filters)
    {
        long total = 0;
        foreach (var group in filters.IndexedProperties.GroupBy(k => k.EntityUid))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM objects WHERE entity_uid = $uid";
            command.Parameters.AddWithValue("$uid", SyncIds.ToDb(group.Key));
            total += (long)command.ExecuteScalar()! * group.Count();
        }

        return total;
    }

    /// <summary>The filter state the client's store matches (<see cref="FilterState"/> JSON), or null when none is
    /// stored (the client synced without filters, or never).</summary>
    public string? ReadFilterState(uint clientNumber) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT filter_state FROM clients WHERE number = $number";
        command.Parameters.AddWithValue("$number", (long)clientNumber);
        return command.ExecuteScalar() as string;
    });

    /// <summary>Whether a client with this number is known.</summary>
    public bool ClientExists(uint clientNumber) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM clients WHERE number = $number";
        command.Parameters.AddWithValue("$number", (long)clientNumber);
        return command.ExecuteScalar() is not null;
    });

    /// <summary>Records the filter state the client's store now matches.</summary>
    public void SaveFilterState(uint clientNumber, string? state) => Write((connection, _) =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE clients SET filter_state = $state WHERE number = $number";
        command.Parameters.AddWithValue("$number", (long)clientNumber);
        command.Parameters.AddWithValue("$state", (object?)state ?? DBNull.Value);
        return command.ExecuteNonQuery();
    });

    private static string? ReadMeta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    private static void WriteMeta(SqliteConnection connection, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }
}
