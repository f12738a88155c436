using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SyncServer.Client.Store;

/// <summary>
/// A statement prepared once with SQLite's own API (SQLitePCL) on the store's connection, its <c>$p0</c>, <c>$p1</c>, …
/// parameters looked up once. Executing it allocates nothing but the boxed result: through Microsoft.Data.Sqlite the
/// same point lookup or insert costs about three times as much (parameters bound by name on every execution, a data
/// reader per query), which dominated applying a full sync. Reset after every execution, so none is in progress at
/// COMMIT. Errors throw <see cref="SqliteException"/> with SQLite's code. Not thread-safe (used under the store lock).
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _parameterIndexes;

    public PreparedStatement(SqliteConnection connection, string sql, int parameterCount)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _));
        _parameterIndexes = new int[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            _parameterIndexes[i] = raw.sqlite3_bind_parameter_index(_statement, "$p" + i);
        }
    }

    /// <summary>Runs a statement that returns no rows with <paramref name="values"/> as $p0, $p1, …; returns the rows changed.</summary>
    public int Execute(ReadOnlySpan<object?> values)
    {
        try
        {
            Bind(values);
            Step();
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The first column of the first row (long, double, string or byte[]), or null when there is no row or it is NULL.</summary>
    public object? QueryScalar(ReadOnlySpan<object?> values)
    {
        try
        {
            Bind(values);
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

    public void Dispose() => _statement.Dispose();

    private void Bind(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var index = _parameterIndexes[i];
            Check(values[i] switch
            {
                null or DBNull => raw.sqlite3_bind_null(_statement, index),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                ulong u => raw.sqlite3_bind_int64(_statement, index, unchecked((long)u)),
                int n => raw.sqlite3_bind_int64(_statement, index, n),
                uint n => raw.sqlite3_bind_int64(_statement, index, n),
                bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(_statement, index, d),
                string s => raw.sqlite3_bind_text(_statement, index, s),
                byte[] { Length: 0 } => raw.sqlite3_bind_zeroblob(_statement, index, 0),
                byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
                var other => throw new ArgumentException($"cannot bind a {other.GetType().Name}", nameof(values)),
            });
        }
    }

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
