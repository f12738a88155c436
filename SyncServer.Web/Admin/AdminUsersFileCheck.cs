using Microsoft.Data.Sqlite;
using SyncServer.Engine.Hosting;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

/// <summary>
/// Reads the admin users' database (read-only, <c>PRAGMA quick_check</c>) before the engine starts: a damaged
/// <c>admin-users.db</c> stops the start with one line naming the file, before anything is written, instead of
/// "SQLite Error 26" from the migrations after the engine already started.
/// </summary>
internal static class AdminUsersFileCheck
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <exception cref="SyncEngineStartException">The file is damaged or cannot be read.</exception>
    public static void Check(string dataDirectory)
    {
        var path = Path.GetFullPath(Path.Combine(dataDirectory, AdminUsersDbContext.FileName));
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return; // created (or filled) by the migrations at start
        }

        try
        {
            // immutable=1: no locks and no -wal/-shm files are created, so the check leaves the directory as it was.
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = new Uri(path).AbsoluteUri + "?immutable=1",
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(1);";
            var result = Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (result != "ok")
            {
                throw Damaged(path, $"PRAGMA quick_check: {string.Join(' ', (result ?? "").Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries))}", null);
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw Damaged(path, e.Message, e);
        }
        catch (SqliteException e)
        {
            throw new SyncEngineStartException($"Cannot read the admin users' database {path}: {e.Message}", SyncEngineStartException.RuntimeErrorExitCode, inner: e);
        }
    }

    private static SyncEngineStartException Damaged(string path, string detail, Exception? inner) => new(
        $"The admin users' database {path} is damaged: restore it from a backup, or move it away to start with no admin users "
            + $"(a new setup URL is logged); nothing was written ({detail})",
        SyncEngineStartException.RuntimeErrorExitCode,
        inner: inner);
}
