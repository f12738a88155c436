using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// Singleton, thread-safe: one writer connection serialised by a lock (the single SQLite writer); readers use their own pooled connections.

/// <summary>
/// The server's SQLite database, <c>sync-server.db</c> in the data directory (see docs/storage.md): the SQLite
/// implementation of <see cref="ISyncStorage"/> (this file: opening, pragmas, the writer; the other parts of the class
/// hold each concern's SQL).
/// All writes go through <see cref="Write{T}"/>: one connection, one transaction at a time, committed durably
/// (WAL, synchronous=FULL) before it returns. Reads run on separate read-only connections and never wait for writes.
/// The caller holds the directory's <see cref="DataDirectoryLock"/>; this class does not take it.
/// </summary>
internal sealed partial class SyncDatabase : ISyncStorage
{
    public const string FileName = "sync-server.db";

    /// <summary>The smallest accepted <see cref="SyncDatabaseOptions.MaxSizeBytes"/>.</summary>
    public const long MinimumMaxSizeBytes = Hosting.SyncEngineOptions.MinimumMaxSizeBytes;

    private const int SqliteFull = 13;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly Lock _writeLock = new();
    private readonly SqliteConnection _writer;
    private readonly string _readConnectionString;
    private readonly long _pageSize;
    private readonly ILogger _logger;
    private bool _disposed;
    private SyncStore? _batch;
    private bool _refusingFull; // a write hit the size limit or a full disk; WARN once until a sync batch commits again
    private string? _damaged; // SQLITE_CORRUPT seen: every later write is refused with this message

    private SyncDatabase(string path, SqliteConnection writer, long pageSize, long? maxSizeBytes, ILogger logger)
    {
        DatabasePath = path;
        MaxSizeBytes = maxSizeBytes;
        _writer = writer;
        _pageSize = pageSize;
        _logger = logger;
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    public string Location => DatabasePath;

    /// <summary>The size limit (<c>--db-max-size</c>), or null for none.</summary>
    public long? MaxSizeBytes { get; }

    /// <summary>The size of the database's committed content: page_count × page_size (the WAL not counted separately).</summary>
    public long SizeBytes => Read(connection => QueryInt64(connection, "PRAGMA page_count;") * _pageSize);

    /// <summary>
    /// Opens (or creates) the database in <see cref="SyncDatabaseOptions.DataDirectory"/>, sets its pragmas and brings
    /// its schema to the latest version.
    /// </summary>
    /// <exception cref="StorageException">
    /// The file is not a SQLite database, was written by a newer sync-server, is already larger than the size limit,
    /// or cannot be opened.
    /// </exception>
    public static SyncDatabase Open(SyncDatabaseOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero);
        if (options.MaxSizeBytes is { } max && max < MinimumMaxSizeBytes)
        {
            throw new StorageException(
                $"Database size limit {ByteSize.Format(max)} is too small (--db-max-size); "
                + $"the minimum is {ByteSize.Format(MinimumMaxSizeBytes)}");
        }

        var logger = loggerFactory.CreateLogger(LogTags.Storage);
        var directory = Path.GetFullPath(options.DataDirectory);
        var path = Path.Combine(directory, FileName);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Cannot create database directory '{directory}': {ex.Message}", ex);
        }

        StorageLog.Opening(logger, path);
        CheckNotTruncated(path);
        var writer = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString());
        try
        {
            var pageSize = Initialize(writer, path, options, logger);
            var database = new SyncDatabase(path, writer, pageSize, options.MaxSizeBytes, logger);
            writer = null;
            return database;
        }
        catch (SqliteException ex)
        {
            throw OpenFailure(path, ex);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction on the single writer connection and commits it; rolls back if
    /// <paramref name="work"/> throws. Calls are serialised. Commands created with
    /// <see cref="SqliteConnection.CreateCommand"/> join the transaction by themselves.
    /// </summary>
    /// <exception cref="DatabaseFullException">The write hit the size limit; it was rolled back, earlier data is intact.</exception>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_damaged is { } damaged)
            {
                throw new DatabaseDamagedException(damaged);
            }

            try
            {
                return RunInTransaction(_writer, DatabasePath, MaxSizeBytes, work);
            }
            catch (DatabaseFullException) when (!_refusingFull)
            {
                _refusingFull = true;
                StorageLog.WritesRefused(_logger, DatabaseFullException.Reason(DatabasePath, MaxSizeBytes));
                throw;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
            {
                _damaged = $"{DatabaseDamagedException.Describe(DatabasePath)}; writes are refused";
                StorageLog.Damaged(_logger, DatabasePath, ex.Message);
                throw new DatabaseDamagedException(_damaged, ex);
            }
        }
    }

    public T WriteBatch<T>(Func<ISyncWriteBatch, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        // The sync statements are prepared once on the writer connection and reused by every batch (preparing ~20
        // statements per batch cost more than small batches' SQL); only used under the write lock.
        var result = Write((connection, _) => work(_batch ??= new SyncStore(connection)));
        lock (_writeLock)
        {
            if (_refusingFull)
            {
                _refusingFull = false; // the episode ends when sync transactions commit again
                StorageLog.WritesResumed(_logger, DatabasePath);
            }
        }

        return result;
    }

    public bool IsStorageFailure(Exception error) => error is SqliteException;

    /// <summary>
    /// Runs <paramref name="work"/> on a read-only connection of its own (pooled), concurrently with writes and other
    /// reads. Each statement sees the latest commit; begin a transaction on the connection for one snapshot across
    /// several statements.
    /// </summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return work(connection);
    }

    /// <summary>
    /// Opens a read-only connection (pooled) that the caller owns and disposes: for a snapshot that outlives one call,
    /// such as a full sync streamed in batches. Keep it short-lived: an open read transaction stops checkpoints from
    /// reusing the WAL.
    /// </summary>
    internal SqliteConnection OpenReadConnection()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for a running write, checkpoints the WAL into the database file (truncating it) and closes all
    /// connections. Does not release the <see cref="DataDirectoryLock"/>.
    /// </summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            SqliteConnection.ClearAllPools();
            try
            {
                using var command = _writer.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                command.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                StorageLog.CheckpointFailed(_logger, ex, DatabasePath);
            }

            _batch?.Dispose();
            _writer.Dispose();
            StorageLog.Closed(_logger, DatabasePath);
        }
    }

    // Pragmas, size check and migrations on the freshly created writer connection; returns the page size.
    private static long Initialize(SqliteConnection writer, string path, SyncDatabaseOptions options, ILogger logger)
    {
        writer.Open();

        // Read before anything writes: a file that is not SQLite fails here, untouched; so does a damaged one.
        var version = QueryInt64(writer, "PRAGMA user_version;");
        CheckIntegrity(writer, path, options, logger);
        var latest = SyncDatabaseMigrations.LatestVersion;
        if (version > latest)
        {
            throw new StorageException(
                $"Database '{path}' has schema version {version}, but this sync-server knows versions up to {latest}: "
                + "it was written by a newer sync-server. Run that version, or use another --db-directory");
        }

        if (version == 0 && QueryInt64(writer, "SELECT count(*) FROM sqlite_master;") != 0)
        {
            throw new StorageException(
                $"'{path}' is a SQLite database, but not a sync-server database (it has tables and no schema version)");
        }

        var journalMode = QueryText(writer, "PRAGMA journal_mode = WAL;");
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException($"Cannot switch '{path}' to WAL journal mode (it stays '{journalMode}')");
        }

        var busyMilliseconds = (long)options.BusyTimeout.TotalMilliseconds;
        Execute(writer, string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busyMilliseconds};"));

        var pageSize = QueryInt64(writer, "PRAGMA page_size;");
        var size = QueryInt64(writer, "PRAGMA page_count;") * pageSize;
        if (options.MaxSizeBytes is { } limit)
        {
            if (size > limit)
            {
                throw new StorageException(
                    $"Database '{path}' is {ByteSize.Format(size)}, more than the size limit {ByteSize.Format(limit)}; "
                    + "raise --db-max-size");
            }

            var maxPages = Math.Min(limit / pageSize, uint.MaxValue - 1L);
            Execute(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {maxPages};"));
        }

        if (options.MaxSizeBytes is { } max)
        {
            StorageLog.Opened(logger, path, version, pageSize, new ByteSize(size), new ByteSize(max));
        }
        else
        {
            StorageLog.OpenedUnlimited(logger, path, version, pageSize, new ByteSize(size));
        }

        for (var step = version + 1; step <= latest; step++)
        {
            StorageLog.Migrating(logger, path, step);
            var sql = SyncDatabaseMigrations.Steps[(int)step - 1]
                + string.Create(CultureInfo.InvariantCulture, $"\nPRAGMA user_version = {step};");
            RunInTransaction(writer, path, options.MaxSizeBytes, (connection, _) => Execute(connection, sql));
        }

        return pageSize;
    }

    private static T RunInTransaction<T>(
        SqliteConnection connection, string path, long? maxSizeBytes, Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var transaction = connection.BeginTransaction();
        try
        {
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteFull)
        {
            RollBack(connection, transaction);
            throw new DatabaseFullException(path, maxSizeBytes, ex);
        }
    }

    // SQLite may already have rolled back by itself (SQLITE_FULL can do that, also during COMMIT). If so, the library's
    // ROLLBACK fails and the connection would still believe a transaction is open: give it an empty one to end.
    private static void RollBack(SqliteConnection connection, SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (SqliteException) when (raw.sqlite3_get_autocommit(connection.Handle) != 0)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(connection.Handle, "BEGIN;"), connection.Handle);
            transaction.Rollback();
        }
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
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string? QueryText(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
