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

    internal DatabaseFullException(long? limitBytes, Exception innerException)
        : base(FormatMessage(limitBytes), innerException)
    {
        LimitBytes = limitBytes;
    }

    /// <summary>The size limit that was reached, or null when there is none (the disk itself is full).</summary>
    public long? LimitBytes { get; }

    private static string FormatMessage(long? limitBytes) => limitBytes is { } limit
        ? $"Database size limit {ByteSize.Format(limit)} reached (--db-max-size); the write was rolled back"
        : "Disk full while writing the database; the write was rolled back";
}
