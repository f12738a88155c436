using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace SyncServer.Bench.References;

/// <summary>
/// r1: this machine's raw SQLite batched insert speed, as the server's storage would see it without any sync logic:
/// 100-byte rows into a table shaped like the server's <c>objects</c> (WITHOUT ROWID, (entity_uid, id) key), 1,000 rows
/// per transaction, one prepared statement reused, WAL and synchronous=FULL as the server opens its database.
/// </summary>
internal static class SqliteReference
{
    public static double Run(string directory, int rows, int rowBytes, out IReadOnlyDictionary<string, object> details)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "r1.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = FULL");
            Execute(connection, "CREATE TABLE objects (entity_uid INTEGER NOT NULL, id INTEGER NOT NULL, data BLOB NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (entity_uid, id)) WITHOUT ROWID");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO objects (entity_uid, id, data, position) VALUES ($uid, $id, $data, $position)";
            var uid = insert.Parameters.Add("$uid", SqliteType.Integer);
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var data = insert.Parameters.Add("$data", SqliteType.Blob);
            var position = insert.Parameters.Add("$position", SqliteType.Integer);
            uid.Value = 7312285064325471401L;
            var payloads = Enumerable.Range(0, 1000).Select(i => Enumerable.Repeat((byte)i, rowBytes).ToArray()).ToArray();
            insert.Prepare();

            var stopwatch = Stopwatch.StartNew();
            var commits = 0;
            for (var done = 0; done < rows;)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                var end = Math.Min(rows, done + 1000);
                for (; done < end; done++)
                {
                    id.Value = (1L << 40) | (long)done;
                    data.Value = payloads[done % payloads.Length];
                    position.Value = (long)(done / 1000) + 1;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                commits++;
            }

            stopwatch.Stop();
            details = new Dictionary<string, object>
            {
                ["rows"] = rows,
                ["rowBytes"] = rowBytes,
                ["rowsPerTransaction"] = 1000,
                ["commits"] = commits,
                ["seconds"] = Math.Round(stopwatch.Elapsed.TotalSeconds, 3),
            };
            var rate = rows / stopwatch.Elapsed.TotalSeconds;
            connection.Close();
            SqliteConnection.ClearAllPools();
            Delete(file);
            return rate;
        }
    }

    /// <summary>
    /// r1c: the latency of a durable one-row commit (WAL, synchronous=FULL: the fsync), the floor under every ACK and every
    /// fan-out (the server sends a TX on only after its commit). Microseconds per commit.
    /// </summary>
    public static HdrHistogram.HistogramBase CommitLatency(string directory, int commits, int rowBytes, out double commitsPerSecond)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "r1c.db");
        var histogram = new HdrHistogram.LongHistogram(1, 60_000_000, 3);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = FULL");
            Execute(connection, "CREATE TABLE txlog (position INTEGER PRIMARY KEY, ops BLOB NOT NULL)");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO txlog (position, ops) VALUES ($position, $ops)";
            var position = insert.Parameters.Add("$position", SqliteType.Integer);
            insert.Parameters.Add("$ops", SqliteType.Blob).Value = new byte[rowBytes];
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                position.Value = (long)i + 1;
                insert.ExecuteNonQuery();
                transaction.Commit();
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
            }

            commitsPerSecond = commits / stopwatch.Elapsed.TotalSeconds;
            connection.Close();
        }

        SqliteConnection.ClearAllPools();
        Delete(file);
        return histogram;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Delete(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
    }
}
