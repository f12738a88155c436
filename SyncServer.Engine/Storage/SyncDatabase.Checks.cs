using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Storage;

// The checks at open that refuse a lost, truncated or damaged database before anything is written (docs/storage.md).
internal sealed partial class SyncDatabase
{
    private const int SqliteIoError = 10;

    /// <summary>The files that show the data directory was used before (beside them, an empty database was lost, not new).</summary>
    private static readonly string[] EarlierRunFiles = ["admin-users.db", FileName + "-wal"];

    // An empty sync-server.db beside files of an earlier run was truncated or replaced (a failed copy, a full disk, a
    // careless restore): SQLite would quietly make it a new database, and client numbers would start at 1 again, so new
    // devices would reuse the numbers of old ones and collide on global object IDs.
    private static void CheckNotTruncated(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length != 0)
        {
            return;
        }

        var directory = file.DirectoryName!;
        var earlier = EarlierRunFiles.FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
        if (earlier is not null)
        {
            throw new StorageException(
                $"Database {path} is empty (0 bytes), but {earlier} beside it is from an earlier run: the database was lost or truncated. "
                + $"Restore it from a backup; to start fresh on purpose (client numbers begin again at 1: reset every client's local data), delete {path}");
        }
    }

    // PRAGMA quick_check reads every page (without matching indexes to tables): a database damaged in the middle is refused
    // at start rather than written to, while a backup can still be restored.
    private static void CheckIntegrity(SqliteConnection writer, string path, SyncDatabaseOptions options, ILogger logger)
    {
        if (options.SkipIntegrityCheck)
        {
            StorageLog.IntegrityCheckSkipped(logger, path);
            return;
        }

        var clock = Stopwatch.StartNew();
        using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA quick_check(3);";
        var problems = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                problems.Add(string.Join(' ', reader.GetString(0).Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        if (problems is not ["ok"])
        {
            throw new DatabaseDamagedException(
                $"{DatabaseDamagedException.Describe(path)} (PRAGMA quick_check: {string.Join("; ", problems)}); nothing was written. "
                + "To start anyway and serve what can be read, pass --skip-integrity-check");
        }

        StorageLog.IntegrityChecked(logger, path, clock.ElapsedMilliseconds);
    }

    // The start-up message for a SQLite error at open: the file and the cause in words, not "SQLite Error 26".
    private static StorageException OpenFailure(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        SqliteNotADatabase or SqliteCorrupt => new DatabaseDamagedException(
            $"{DatabaseDamagedException.Describe(path)} (or it is not a SQLite database): {ex.Message}", ex),
        SqliteFull => new DatabaseFullException($"Disk full: cannot open {path}; free space on its disk and start again", ex),
        SqliteIoError => new StorageException($"Cannot open {path}: I/O error; the disk may be full or failing: {ex.Message}", ex),
        _ => new StorageException($"Cannot open database {path}: {ex.Message}", ex),
    };
}
