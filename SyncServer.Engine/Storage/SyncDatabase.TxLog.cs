using System.Globalization;
using Microsoft.Data.Sqlite;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// The txlog table and meta txlog_retained_from (docs/storage.md).
internal sealed partial class SyncDatabase
{
    /// <summary>The pruner's size of the txlog: encoded operations plus <see cref="TxLogPruner.RowOverheadBytes"/> per row.</summary>
    private static readonly string MeasureTxLogSql = string.Create(
        CultureInfo.InvariantCulture, $"SELECT coalesce(sum(length(ops)), 0) + count(*) * {TxLogPruner.RowOverheadBytes} FROM txlog");

    public ulong ReadHead() => Read(ReadHead);

    public ulong ReadRetainedFrom() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'txlog_retained_from'";
        return command.ExecuteScalar() is string text ? ulong.Parse(text, CultureInfo.InvariantCulture) : 1;
    });

    public long MeasureTxLog() => Read(connection => MeasureTxLog(connection));

    public IReadOnlyList<StoredTx> ReadTxs(ulong from, ulong to, int maxCount, long maxBytes, bool takeOversizedFirst) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT position, client_number, committed_unix_ms, op_count, ops, filter_context FROM txlog
            WHERE position >= $from AND position <= $to ORDER BY position LIMIT $limit
            """;
        command.Parameters.AddWithValue("$from", SyncIds.ToDb(from));
        command.Parameters.AddWithValue("$to", SyncIds.ToDb(to));
        command.Parameters.AddWithValue("$limit", maxCount);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredTx>();
        long total = 0;
        while (reader.Read())
        {
            var tx = new StoredTx(
                SyncIds.FromDb(reader.GetInt64(0)),
                (uint)reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt32(3),
                reader.GetFieldValue<byte[]>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5));
            if (!(rows.Count == 0 && takeOversizedFirst) && total + tx.EncodedOps.Length > maxBytes)
            {
                break;
            }

            rows.Add(tx);
            total += tx.EncodedOps.Length;
        }

        return rows;
    });

    internal static ulong ReadHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(position), 0) FROM txlog";
        return SyncIds.FromDb((long)command.ExecuteScalar()!);
    }

    internal static long MeasureTxLog(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = MeasureTxLogSql;
        return (long)command.ExecuteScalar()!;
    }
}
