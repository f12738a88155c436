using Microsoft.Data.Sqlite;

namespace SyncServer.Tests.Shared;

/// <summary>Damages a SQLite file "in the middle", as a bad disk or a torn copy would.</summary>
internal static class DamagedDatabase
{
    /// <summary>
    /// Overwrites the b-tree page header of <paramref name="table"/>'s root page: the file still opens (its header and
    /// schema are fine), but that table's page is garbage.
    /// </summary>
    public static void DamageTable(string databaseFile, string table)
    {
        long rootPage, pageSize;
        // immutable=1: reading creates no -wal/-shm files, so the directory is left as the caller expects.
        using (var connection = new SqliteConnection($"Data Source={new Uri(databaseFile).AbsoluteUri}?immutable=1;Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = $name";
            command.Parameters.AddWithValue("$name", table);
            rootPage = (long)command.ExecuteScalar()!;
            command.Parameters.Clear();
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)command.ExecuteScalar()!;
        }

        using var file = File.OpenWrite(databaseFile);
        file.Position = (rootPage - 1) * pageSize;
        file.Write([0x0D, 0xFF, 0xFF, 0x00, 0x50, .. Enumerable.Repeat((byte)0xEE, 100)]);
    }
}
