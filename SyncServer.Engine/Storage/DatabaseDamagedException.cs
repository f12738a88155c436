namespace SyncServer.Engine.Storage;

/// <summary>
/// The database file is damaged (SQLITE_CORRUPT, or a failed <c>PRAGMA quick_check</c> at open): restore it from a backup.
/// Once seen at run time, every later write is refused with this exception so nothing more is written into a damaged file.
/// </summary>
internal sealed class DatabaseDamagedException : StorageException
{
    public DatabaseDamagedException()
    {
    }

    public DatabaseDamagedException(string message)
        : base(message)
    {
    }

    public DatabaseDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static string Describe(string path) => $"Database {path} is damaged: restore from a backup";
}
