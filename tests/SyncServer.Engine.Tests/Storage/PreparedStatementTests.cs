using Microsoft.Data.Sqlite;
using SyncServer.Sqlite;

namespace SyncServer.Engine.Tests.Storage;

/// <summary>The shared <see cref="PreparedStatement"/> (Shared/Sqlite, compiled into the engine and the SDK) on an in-memory database.</summary>
public sealed class PreparedStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public PreparedStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (k INTEGER PRIMARY KEY, a, b INTEGER)";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Positional_binds_and_typed_queries_round_trip_and_an_empty_blob_is_not_NULL()
    {
        using var insert = new PreparedStatement(_connection, "INSERT INTO t (k, a, b) VALUES (?1, ?2, ?3)");
        using var blob = new PreparedStatement(_connection, "SELECT a FROM t WHERE k = ?1");
        using var pair = new PreparedStatement(_connection, "SELECT k, b FROM t WHERE k = ?1");

        Assert.Equal(1, insert.Bind(1, 1).Bind(2, [1, 2, 3]).Bind(3, long.MinValue).Execute());
        Assert.Equal(1, insert.Bind(1, 2).Bind(2, ReadOnlySpan<byte>.Empty).Bind(3, -1).Execute());

        Assert.Equal([1, 2, 3], blob.Bind(1, 1).QueryBlob()!);
        Assert.Equal([], blob.Bind(1, 2).QueryBlob()!);
        Assert.Null(blob.Bind(1, 3).QueryBlob());
        Assert.Equal((1L, long.MinValue), pair.Bind(1, 1).QueryInt64Pair());
        Assert.Null(pair.Bind(1, 3).QueryInt64Pair());
    }

    [Fact]
    public void Named_binds_take_every_supported_type_and_the_scalar_comes_back_as_SQLite_stored_it()
    {
        using var insert = new PreparedStatement(_connection, "INSERT INTO t (k, a) VALUES ($p1, $p0)");
        using var select = new PreparedStatement(_connection, "SELECT a FROM t WHERE k = $p0");
        object?[] values = [null, 42L, ulong.MaxValue, 7, 8u, true, 2.5, "text", Array.Empty<byte>(), new byte[] { 9 }];
        object?[] stored = [null, 42L, -1L, 7L, 8L, 1L, 2.5, "text", Array.Empty<byte>(), new byte[] { 9 }];

        for (var k = 0; k < values.Length; k++)
        {
            Assert.Equal(1, insert.BindAll(values[k], (long)k).Execute()); // $p1 before $p0 in the SQL: bound by name
        }

        Assert.Equal(stored, Enumerable.Range(0, values.Length).Select(k => select.BindAll((long)k).QueryScalar()));
        Assert.Throws<ArgumentException>(() => insert.BindAll(DateTime.Now, 99L));
    }

    [Fact]
    public void An_error_throws_SQLites_code_and_the_statement_is_usable_afterwards()
    {
        using var insert = new PreparedStatement(_connection, "INSERT INTO t (k) VALUES (?1)");
        insert.Bind(1, 5).Execute();

        var error = Assert.Throws<SqliteException>(() => insert.Bind(1, 5).Execute());
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1, insert.Bind(1, 6).Execute());
    }
}
