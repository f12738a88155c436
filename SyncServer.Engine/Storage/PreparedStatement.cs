using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SyncServer.Engine.Storage;

// One per statement, used by one thread at a time (the writer's); not thread-safe.
/// <summary>
/// A statement prepared once on an open connection with SQLite's own API (SQLitePCL), for the writer's hot path:
/// parameters are bound by position, blobs straight from spans, and nothing is allocated per execution. Through
/// Microsoft.Data.Sqlite the same point lookup or insert costs about three times as much (it looks every parameter up by
/// name and makes a data reader per query), more than the SQL itself. Every execution resets the statement, so none is
/// left in progress at COMMIT. Errors throw <see cref="SqliteException"/> with SQLite's code, as Microsoft.Data.Sqlite does.
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public PreparedStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _));
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based: <c>?1</c>, <c>?2</c>, …).</summary>
    public PreparedStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Binds a blob (copied by SQLite); an empty span is an empty blob, not NULL.</summary>
    public PreparedStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Runs a statement that returns no rows; returns the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            Step();
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The first column of the first row as a blob, or null when there is no row or the value is NULL.</summary>
    public byte[]? QueryBlob()
    {
        try
        {
            return Step() && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL
                ? raw.sqlite3_column_blob(_statement, 0).ToArray()
                : null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The first column of the first row as an integer, or null when there is no row.</summary>
    public long? QueryInt64()
    {
        try
        {
            return Step() ? raw.sqlite3_column_int64(_statement, 0) : null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The first two columns of the first row as integers, or null when there is no row.</summary>
    public (long First, long Second)? QueryInt64Pair()
    {
        try
        {
            return Step() ? (raw.sqlite3_column_int64(_statement, 0), raw.sqlite3_column_int64(_statement, 1)) : null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// One row of (blob, integer, integer): the blob when column 0 is not NULL, else the two integers when column 1 is not
    /// NULL; (null, null) when neither or when there is no row.
    /// </summary>
    public (byte[]? Blob, (long, long)? Pair) QueryBlobOrInt64Pair()
    {
        try
        {
            if (!Step())
            {
                return (null, null);
            }

            if (raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL)
            {
                return (raw.sqlite3_column_blob(_statement, 0).ToArray(), null);
            }

            return raw.sqlite3_column_type(_statement, 1) != raw.SQLITE_NULL
                ? (null, (raw.sqlite3_column_int64(_statement, 1), raw.sqlite3_column_int64(_statement, 2)))
                : (null, null);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    // True for a row, false when done.
    private bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            // sqlite3_reset returns the step's error code; the message is the connection's.
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
