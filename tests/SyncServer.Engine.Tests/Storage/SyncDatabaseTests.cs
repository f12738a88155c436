using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Tests.Storage;

public sealed class SyncDatabaseTests : IDisposable
{
    private const int BlobSize = 16 * 1024;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Creates_the_database_file_and_the_latest_tables()
    {
        using var database = Open();

        Assert.Equal(Path.Combine(_temp.Path, "sync-server.db"), database.DatabasePath);
        Assert.True(File.Exists(database.DatabasePath));
        var tables = database.Read(c => QueryStrings(c, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
        Assert.Equal(["clients", "filter_index", "links", "meta", "objects", "schema_version", "tombstones", "txlog"], tables);
        Assert.Equal(["key", "value"], database.Read(c => QueryStrings(c, "SELECT name FROM pragma_table_info('meta')")));
        Assert.Equal(
            ["id", "created_utc", "source", "model_json", "model_hash", "accept_clients"],
            database.Read(c => QueryStrings(c, "SELECT name FROM pragma_table_info('schema_version')")));
        Assert.Equal(3L, database.Read(c => QueryInt64(c, "PRAGMA user_version")));
    }

    [Fact]
    public void Sets_wal_full_sync_foreign_keys_and_busy_timeout()
    {
        using var database = Open();

        Assert.Equal("wal", database.Read(c => QueryStrings(c, "PRAGMA journal_mode")).Single());
        Assert.Equal(2L, database.Write((c, _) => QueryInt64(c, "PRAGMA synchronous")));
        Assert.Equal(1L, database.Write((c, _) => QueryInt64(c, "PRAGMA foreign_keys")));
        Assert.Equal(5000L, database.Write((c, _) => QueryInt64(c, "PRAGMA busy_timeout")));
    }

    [Fact]
    public void Keeps_committed_data_across_reopen()
    {
        using (var database = Open())
        {
            database.Write((c, _) => Execute(c, "INSERT INTO meta (key, value) VALUES ('server-id', 'abc123')"));
        }

        using var reopened = Open();
        Assert.Equal(["abc123"], reopened.Read(c => QueryStrings(c, "SELECT value FROM meta WHERE key = 'server-id'")));
        Assert.Equal(3L, reopened.Read(c => QueryInt64(c, "PRAGMA user_version")));
    }

    [Fact]
    public void Rolls_back_a_write_that_throws()
    {
        using var database = Open();

        Assert.Throws<InvalidOperationException>(() => database.Write<int>((c, _) =>
        {
            Execute(c, "INSERT INTO meta (key, value) VALUES ('a', '1')");
            throw new InvalidOperationException("abort");
        }));

        Assert.Equal(0L, database.Read(c => QueryInt64(c, "SELECT count(*) FROM meta")));
        database.Write((c, _) => Execute(c, "INSERT INTO meta (key, value) VALUES ('a', '2')"));
        Assert.Equal(["2"], database.Read(c => QueryStrings(c, "SELECT value FROM meta")));
    }

    [Fact]
    public void Reads_use_their_own_read_only_connection_and_see_only_committed_data()
    {
        using var database = Open();

        var seenDuringWrite = database.Write((c, _) =>
        {
            Execute(c, "INSERT INTO meta (key, value) VALUES ('a', '1')");
            return database.Read(reader => QueryInt64(reader, "SELECT count(*) FROM meta"));
        });

        Assert.Equal(0L, seenDuringWrite);
        Assert.Equal(1L, database.Read(c => QueryInt64(c, "SELECT count(*) FROM meta")));
        var ex = Assert.Throws<SqliteException>(() => database.Read(c => Execute(c, "DELETE FROM meta")));
        Assert.Equal(8, ex.SqliteErrorCode); // SQLITE_READONLY
    }

    [Fact]
    public void Serialises_writes_from_several_threads()
    {
        using var database = Open();
        database.Write((c, _) => Execute(c, "INSERT INTO meta (key, value) VALUES ('counter', '0')"));

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => database.Write((c, _) =>
        {
            var value = QueryInt64(c, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'counter'");
            return Execute(c, $"UPDATE meta SET value = '{value + 1}' WHERE key = 'counter'");
        }));

        Assert.Equal(["200"], database.Read(c => QueryStrings(c, "SELECT value FROM meta WHERE key = 'counter'")));
    }

    [Fact]
    public void Refuses_a_database_from_a_newer_version_without_changing_it()
    {
        using (Open())
        {
        }

        SetUserVersion(7);

        var ex = Assert.Throws<StorageException>(Open);

        var path = _temp.Combine("sync-server.db");
        Assert.Equal(
            $"Database '{path}' has schema version 7, but this sync-server knows versions up to 3: "
            + "it was written by a newer sync-server. Run that version, or use another --db-directory",
            ex.Message);
        Assert.Equal(7L, ReadUserVersion());
    }

    [Fact]
    public void Refuses_a_file_that_is_not_a_sqlite_database_without_changing_it()
    {
        var path = _temp.Combine("sync-server.db");
        var text = string.Concat(Enumerable.Repeat("This is a text file, not a database.\n", 100));
        File.WriteAllText(path, text);

        var ex = Assert.Throws<DatabaseDamagedException>(Open);

        Assert.StartsWith($"Database {path} is damaged: restore from a backup (or it is not a SQLite database): ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void Refuses_a_sqlite_database_of_another_application()
    {
        var path = _temp.Combine("sync-server.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Execute(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        }

        var ex = Assert.Throws<StorageException>(Open);

        Assert.Equal(
            $"'{path}' is a SQLite database, but not a sync-server database (it has tables and no schema version)",
            ex.Message);
    }

    [Fact]
    public void Rolls_back_a_write_that_hits_the_size_limit_and_keeps_earlier_data()
    {
        const long limit = 256 * 1024;
        var committed = 0;
        using (var database = Open(limit))
        {
            database.Write((c, _) => Execute(c, "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)"));

            DatabaseFullException? full = null;
            for (var id = 1; id <= 100 && full is null; id++)
            {
                try
                {
                    database.Write((c, _) => InsertBlob(c, id));
                    committed = id;
                }
                catch (DatabaseFullException ex)
                {
                    full = ex;
                }
            }

            Assert.NotNull(full);
            Assert.Equal($"Database size limit 256 KB of {database.DatabasePath} reached (--db-max-size); the write was rolled back", full.Message);
            Assert.Equal(limit, full.LimitBytes);
            Assert.Equal(13, Assert.IsType<SqliteException>(full.InnerException).SqliteErrorCode);
            Assert.InRange(committed, 5, 15);
            Assert.InRange(database.SizeBytes, committed * BlobSize, limit);

            // A transaction with several writes is rolled back as a whole, not just its failing statement.
            Assert.Throws<DatabaseFullException>(() => database.Write((c, _) =>
            {
                Execute(c, "INSERT INTO meta (key, value) VALUES ('partial', 'should vanish')");
                return InsertBlob(c, 1000);
            }));
            Assert.Equal(0L, database.Read(c => QueryInt64(c, "SELECT count(*) FROM meta")));
            AssertBlobsIntact(database, committed);

            // The writer stays usable: freeing space makes room for new writes.
            database.Write((c, _) => Execute(c, "DELETE FROM blobs WHERE id <= 2"));
            database.Write((c, _) => InsertBlob(c, 2000));
        }

        using var reopened = Open(limit);
        Assert.Equal(committed - 1L, reopened.Read(c => QueryInt64(c, "SELECT count(*) FROM blobs")));
        Assert.Equal(1L, reopened.Read(c => QueryInt64(c, "SELECT count(*) FROM blobs WHERE id = 2000")));
        Assert.Equal("ok", reopened.Read(c => QueryStrings(c, "PRAGMA integrity_check")).Single());
        Assert.Throws<DatabaseFullException>(() => reopened.Write((c, _) => InsertBlob(c, 3000) + InsertBlob(c, 3001)));
    }

    [Fact]
    public void Refuses_to_open_a_database_already_larger_than_the_limit()
    {
        long size;
        using (var database = Open())
        {
            database.Write((c, _) => Execute(c, "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)"));
            database.Write((c, _) => Enumerable.Range(1, 10).Sum(id => InsertBlob(c, id)));
            size = database.SizeBytes;
        }

        Assert.InRange(size, 10 * BlobSize, 2 * 1024 * 1024);
        var ex = Assert.Throws<StorageException>(() => Open(64 * 1024));

        Assert.Equal(
            $"Database '{_temp.Combine("sync-server.db")}' is {ByteSize.Format(size)}, more than the size limit 64 KB; "
            + "raise --db-max-size",
            ex.Message);
        using var unlimited = Open();
        Assert.Equal(10L, unlimited.Read(c => QueryInt64(c, "SELECT count(*) FROM blobs")));
    }

    [Fact]
    public void Refuses_a_size_limit_below_the_minimum()
    {
        var ex = Assert.Throws<StorageException>(() => Open(32 * 1024));

        Assert.Equal("Database size limit 32 KB is too small (--db-max-size); the minimum is 64 KB", ex.Message);
    }

    [Fact]
    public void Truncates_the_wal_and_refuses_use_after_dispose()
    {
        var database = Open();
        database.Write((c, _) => Execute(c, "INSERT INTO meta (key, value) VALUES ('a', '1')"));
        database.Read(c => QueryInt64(c, "SELECT count(*) FROM meta"));

        database.Dispose();
        database.Dispose();

        var wal = new FileInfo(_temp.Combine("sync-server.db-wal"));
        Assert.Equal(0L, wal.Exists ? wal.Length : 0L);
        Assert.Throws<ObjectDisposedException>(() => database.Write((c, _) => 0));
        Assert.Throws<ObjectDisposedException>(() => database.Read(c => 0));
    }

    [Fact]
    public void A_database_damaged_in_the_middle_is_refused_at_open_without_changing_it()
    {
        using (var database = Open())
        {
            database.RecordClientLogin([1, 2, 3], DateTimeOffset.UnixEpoch, 100);
        }

        DamagedDatabase.DamageTable(_temp.Combine("sync-server.db"), "clients");
        var bytes = File.ReadAllBytes(_temp.Combine("sync-server.db"));

        var ex = Assert.Throws<DatabaseDamagedException>(Open);

        Assert.StartsWith($"Database {_temp.Combine("sync-server.db")} is damaged: restore from a backup (PRAGMA quick_check: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(_temp.Combine("sync-server.db")));
    }

    [Fact]
    public void A_write_that_meets_a_damaged_page_is_refused_and_so_is_every_later_write_while_reads_go_on()
    {
        using (var database = Open())
        {
            database.RecordClientLogin([1, 2, 3], DateTimeOffset.UnixEpoch, 100);
            database.Write((c, _) => Execute(c, "INSERT INTO meta (key, value) VALUES ('kept', 'yes')"));
        }

        DamagedDatabase.DamageTable(_temp.Combine("sync-server.db"), "clients");
        using var damaged = SyncDatabase.Open(
            new SyncDatabaseOptions { DataDirectory = _temp.Path, SkipIntegrityCheck = true }, NullLoggerFactory.Instance);

        var first = Assert.Throws<DatabaseDamagedException>(() => damaged.RecordClientLogin([4, 5, 6], DateTimeOffset.UnixEpoch, 100));
        var later = Assert.Throws<DatabaseDamagedException>(() => damaged.Write((c, _) => Execute(c, "INSERT INTO meta (key, value) VALUES ('new', 'no')")));

        Assert.Equal($"Database {damaged.DatabasePath} is damaged: restore from a backup; writes are refused", first.Message);
        Assert.Equal(first.Message, later.Message);
        Assert.Null(later.InnerException); // refused before SQLite was asked
        Assert.Equal(["kept"], damaged.Read(c => QueryStrings(c, "SELECT key FROM meta WHERE key IN ('kept', 'new')")));
    }

    private SyncDatabase Open() => Open(null);

    private SyncDatabase Open(long? maxSizeBytes) => SyncDatabase.Open(
        new SyncDatabaseOptions { DataDirectory = _temp.Path, MaxSizeBytes = maxSizeBytes },
        NullLoggerFactory.Instance);

    private static int InsertBlob(SqliteConnection connection, int id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO blobs (id, data) VALUES ($id, $data)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$data", BlobFor(id));
        return command.ExecuteNonQuery();
    }

    private static byte[] BlobFor(int id)
    {
        var blob = new byte[BlobSize];
        for (var i = 0; i < blob.Length; i++)
        {
            blob[i] = (byte)(id * 31 + i);
        }

        return blob;
    }

    private static void AssertBlobsIntact(SyncDatabase database, int count)
    {
        var blobs = database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT id, data FROM blobs ORDER BY id";
            using var reader = command.ExecuteReader();
            var result = new List<(int Id, byte[] Data)>();
            while (reader.Read())
            {
                result.Add((reader.GetInt32(0), (byte[])reader.GetValue(1)));
            }

            return result;
        });

        Assert.Equal(Enumerable.Range(1, count), blobs.Select(b => b.Id));
        Assert.All(blobs, b => Assert.Equal(BlobFor(b.Id), b.Data));
    }

    private void SetUserVersion(int version)
    {
        using var connection = new SqliteConnection($"Data Source={_temp.Combine("sync-server.db")};Pooling=False");
        connection.Open();
        Execute(connection, $"PRAGMA user_version = {version}");
    }

    private long ReadUserVersion()
    {
        using var connection = new SqliteConnection($"Data Source={_temp.Combine("sync-server.db")};Pooling=False");
        connection.Open();
        return QueryInt64(connection, "PRAGMA user_version");
    }

    private static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static long QueryInt64(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<string> QueryStrings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
