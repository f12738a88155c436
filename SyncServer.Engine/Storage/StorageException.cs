namespace SyncServer.Engine.Storage;

/// <summary>
/// A storage problem the operator has to act on (directory in use, database from a newer version, size limit, ...).
/// The message says what happened and what to do; it is meant to be printed as it is.
/// </summary>
public class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
