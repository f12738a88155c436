namespace SyncServer.Engine.Storage;

/// <summary>
/// A write did not fit: the database reached its size limit (<c>--db-max-size</c>) or the disk is full.
/// The write's transaction was rolled back; everything committed before is intact.
/// </summary>
internal sealed class DatabaseFullException : StorageException
{
    public DatabaseFullException()
    {
    }

    public DatabaseFullException(string message)
        : base(message)
    {
    }

    public DatabaseFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DatabaseFullException(string path, long? limitBytes, Exception innerException)
        : base(FormatMessage(path, limitBytes), innerException)
    {
        LimitBytes = limitBytes;
    }

    /// <summary>The size limit that was reached, or null when there is none (the disk itself is full).</summary>
    public long? LimitBytes { get; }

    /// <summary>What is full, without the consequence ("Database size limit 1 MB reached (--db-max-size)", "Disk full ...").</summary>
    internal static string Reason(string path, long? limitBytes) => limitBytes is { } limit
        ? $"Database size limit {ByteSize.Format(limit)} of {path} reached (--db-max-size)"
        : $"Disk full while writing {path}";

    private static string FormatMessage(string path, long? limitBytes) => $"{Reason(path, limitBytes)}; the write was rolled back";
}
