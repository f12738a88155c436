using Microsoft.Data.Sqlite;
using SyncServer.Sqlite;

namespace SyncServer.Client.Store;

/// <summary>
/// The client's SQLite database (WAL, synchronous=FULL): objects in local-ID terms, links, the ID map, the outbox and meta
/// values. One per <see cref="SyncClient"/>, not thread-safe: the client calls it only under its store lock. Every write
/// happens inside <see cref="Begin"/> … <see cref="Commit"/>, so an object change and the TX that carries it are durable
/// together or not at all.
/// </summary>
/// <remarks>
/// <code>
/// meta(key TEXT PK, value)                       client_id (16 random bytes), client_number, position, next_tx_id, hlc
/// objects(entity, id, data) PK(entity, id)       FlatBuffers table with the local ID inside
/// links(relation, source, target) PK(all three)  local IDs
/// id_map(entity, local, global) PK(entity, local), UNIQUE(entity, global)
/// sequences(entity PK, last)                     the last local ID given out per entity
/// outbox(tx_id PK, ops)                          queued TXs, OpCodec-encoded in local IDs
/// </code>
/// u64 values are stored as SQLite's signed INTEGER (same 64 bits).
/// </remarks>
internal sealed partial class LocalStore : IDisposable
{
    public const string FileName = "sync-client.db";
    public const string LockFileName = "sync-client.lock";

    // Held open with FileShare.None (an exclusive flock on Linux) while the store is open: a second client on the same
    // folder, in this process or another, would hand out the same local IDs and TX IDs as this one.
    private readonly FileStream _lock;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, ulong> _sequences = [];
    private readonly HashSet<uint> _changedSequences = [];
    private SqliteTransaction? _transaction;

    /// <exception cref="IOException">Another client has the folder open.</exception>
    public LocalStore(string directory)
    {
        Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, LockFileName);
        try
        {
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException(
                $"The data directory '{Path.GetFullPath(directory)}' is in use by another SyncClient (in this or another process): "
                + $"one client per data directory ({e.Message})", e);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        try
        {
            _connection.Open();
            CreateSchema();
        }
        catch
        {
            _connection.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    private void CreateSchema()
    {
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA foreign_keys=OFF;");
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS objects (entity INTEGER NOT NULL, id INTEGER NOT NULL, data BLOB NOT NULL,
                PRIMARY KEY (entity, id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS links (relation INTEGER NOT NULL, source INTEGER NOT NULL, target INTEGER NOT NULL,
                PRIMARY KEY (relation, source, target)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS links_by_target ON links (relation, target);
            CREATE TABLE IF NOT EXISTS id_map (entity INTEGER NOT NULL, local INTEGER NOT NULL, global INTEGER NOT NULL,
                PRIMARY KEY (entity, local)) WITHOUT ROWID;
            CREATE UNIQUE INDEX IF NOT EXISTS id_map_by_global ON id_map (entity, global);
            CREATE TABLE IF NOT EXISTS sequences (entity INTEGER PRIMARY KEY, last INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS outbox (tx_id INTEGER PRIMARY KEY, ops BLOB NOT NULL);
            """);
    }

    public bool InTransaction => _transaction is not null;

    public void Begin()
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A local transaction is already open.");
        }

        _transaction = _connection.BeginTransaction(deferred: false);
    }

    public void Commit()
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No local transaction is open.");
        FlushSequences();
        _transaction = null;
        transaction.Commit();
        transaction.Dispose();
    }

    public void Rollback()
    {
        var transaction = _transaction;
        _transaction = null;
        ForgetSequences();
        if (transaction is not null)
        {
            transaction.Rollback();
            transaction.Dispose();
        }
    }

    public void Dispose()
    {
        Rollback();
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _commands.Clear();
        _statements.Clear();
        _connection.Dispose();
        _lock.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A cached, prepared command for <paramref name="sql"/> with its parameters set to <paramref name="values"/>
    /// ($p0, $p1, … in order), bound to the open transaction.</summary>
    private SqliteCommand Command(string sql, params ReadOnlySpan<object?> values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is one of this class's constants; values are parameters
            command.CommandText = sql;
#pragma warning restore CA2100
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter("$p" + i, null));
            }

            _commands[sql] = command;
        }

        command.Transaction = _transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                ulong u => unchecked((long)u),
                uint u => (long)u,
                var v => v,
            };
        }

        return command;
    }

    // Single-row statements (lookups, inserts, updates: what applying incoming data runs per object) go through
    // PreparedStatement; queries returning lists use Command.
    private int NonQuery(string sql, params ReadOnlySpan<object?> values) => Prepared(sql).BindAll(values).Execute();

    private object? Scalar(string sql, params ReadOnlySpan<object?> values) => Prepared(sql).BindAll(values).QueryScalar();

    private PreparedStatement Prepared(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new PreparedStatement(_connection, sql);
            _statements[sql] = statement;
        }

        return statement;
    }
}
