using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SyncServer.Sqlite;

// Shared source: compiled into SyncServer.Engine (the server's writer) and SyncServer.Client (the SDK's local store), which
// both reach SQLite through Microsoft.Data.Sqlite; SyncServer.Core stays free of SQLite.
// One per statement, used by one thread at a time (the server's writer, the SDK's store lock); not thread-safe.
/// <summary>
/// A statement prepared once on an open connection with SQLite's own API (SQLitePCL), for hot paths: parameters are
/// bound by position (<see cref="Bind(int, long)"/>) or as <c>$p0</c>, <c>$p1</c>, … (<see cref="BindAll"/>), blobs
/// straight from spans, and nothing is allocated per execution but results. Through Microsoft.Data.Sqlite the same point
/// lookup or insert costs about three times as much (it looks every parameter up by name and makes a data reader per
/// query), more than the SQL itself. Every execution resets the statement, so none is left in progress at COMMIT. Errors
/// throw <see cref="SqliteException"/> with SQLite's code, as Microsoft.Data.Sqlite does.
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private int[]? _namedIndexes;

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

    /// <summary>Binds a long, a double or a string (as SQLite's INTEGER, REAL or TEXT) without going through an object array.</summary>
    public PreparedStatement BindValue(int index, object value)
    {
        Check(value switch
        {
            long l => raw.sqlite3_bind_int64(_statement, index, l),
            double d => raw.sqlite3_bind_double(_statement, index, d),
            string text => raw.sqlite3_bind_text(_statement, index, text),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name}", nameof(value)),
        });
        return this;
    }

    /// <summary>Binds a blob, or NULL when <paramref name="value"/> is null.</summary>
    public PreparedStatement BindBlobOrNull(int index, byte[]? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Binds <paramref name="values"/> to <c>$p0</c>, <c>$p1</c>, … (null, long, ulong, int, uint, bool, double,
    /// string or byte[]).</summary>
    public PreparedStatement BindAll(params ReadOnlySpan<object?> values)
    {
        if (_namedIndexes is null || _namedIndexes.Length < values.Length)
        {
            _namedIndexes = new int[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                _namedIndexes[i] = raw.sqlite3_bind_parameter_index(_statement, "$p" + i);
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            var index = _namedIndexes[i];
            Check(values[i] switch
            {
                null or DBNull => raw.sqlite3_bind_null(_statement, index),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                ulong u => raw.sqlite3_bind_int64(_statement, index, unchecked((long)u)),
                int n => raw.sqlite3_bind_int64(_statement, index, n),
                uint n => raw.sqlite3_bind_int64(_statement, index, n),
                bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(_statement, index, d),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                byte[] { Length: 0 } => raw.sqlite3_bind_zeroblob(_statement, index, 0),
                byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
                var other => throw new ArgumentException($"cannot bind a {other.GetType().Name}", nameof(values)),
            });
        }

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

    /// <summary>The first column of the first row (long, double, string or byte[]), or null when there is no row or it is NULL.</summary>
    public object? QueryScalar()
    {
        try
        {
            if (!Step())
            {
                return null;
            }

            return raw.sqlite3_column_type(_statement, 0) switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_statement, 0),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(_statement, 0),
                raw.SQLITE_TEXT => raw.sqlite3_column_text(_statement, 0).utf8_to_string(),
                raw.SQLITE_BLOB => raw.sqlite3_column_blob(_statement, 0).ToArray(),
                _ => null,
            };
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
