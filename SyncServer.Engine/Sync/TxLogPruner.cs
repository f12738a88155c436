using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SyncServer.Engine.Sync;

// Used only by the TxWriter's consumer task, inside its write transaction: not thread-safe.
/// <summary>
/// Keeps the transaction log under a size limit (<c>historySizeMaxKb</c>): when it grows past
/// <paramref name="maxBytes"/>, the oldest entries are deleted until it is at most <paramref name="targetBytes"/>, and
/// meta <c>txlog_retained_from</c> moves to the first position kept. The newest entry is always kept, so the head
/// position survives a restart. A log entry's size is its encoded operations plus <see cref="RowOverheadBytes"/>.
/// </summary>
internal sealed class TxLogPruner(long maxBytes, long targetBytes, long sizeBytes = -1)
{
    public const int RowOverheadBytes = 32;

    private long _sizeBytes = sizeBytes;

    /// <summary>The log's size after the last call (or the size it was given, -1: measured at the first call).</summary>
    public long SizeBytes => _sizeBytes;

    /// <summary>Accounts for <paramref name="added"/> (already inserted in this transaction) and prunes if needed.</summary>
    /// <returns>The new first retained position, or null when nothing was pruned.</returns>
    public ulong? Prune(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<StoredTx> added)
    {
        if (_sizeBytes < 0)
        {
            _sizeBytes = Measure(connection, transaction);
        }
        else
        {
            foreach (var tx in added)
            {
                _sizeBytes += tx.EncodedOps.Length + RowOverheadBytes;
            }
        }

        if (_sizeBytes <= maxBytes)
        {
            return null;
        }

        var (cutoff, removed) = FindCutoff(connection, transaction, _sizeBytes - targetBytes);
        if (removed == 0)
        {
            return null;
        }

        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM txlog WHERE position < $cutoff";
            delete.Parameters.AddWithValue("$cutoff", SyncIds.ToDb(cutoff));
            delete.ExecuteNonQuery();
        }

        using (var meta = connection.CreateCommand())
        {
            meta.Transaction = transaction;
            meta.CommandText = "INSERT INTO meta (key, value) VALUES ('txlog_retained_from', $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            meta.Parameters.AddWithValue("$value", cutoff.ToString(CultureInfo.InvariantCulture));
            meta.ExecuteNonQuery();
        }

        _sizeBytes -= removed;
        return cutoff;
    }

    /// <summary>The txlog's size, read from the table (one pass over its rows).</summary>
    public static long Measure(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT coalesce(sum(length(ops)), 0) + count(*) * {RowOverheadBytes} FROM txlog";
        return (long)command.ExecuteScalar()!;
    }

    // Oldest first: the first position to keep once at least `toRemove` bytes are gone, never past the newest entry.
    private static (ulong Cutoff, long Removed) FindCutoff(SqliteConnection connection, SqliteTransaction transaction, long toRemove)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT position, length(ops) + {RowOverheadBytes} FROM txlog WHERE position < (SELECT max(position) FROM txlog) ORDER BY position";
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
}
