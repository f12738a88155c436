namespace SyncServer.Engine.Filters;

/// <summary>A TX writes what the sender's sync filter does not allow (ERROR PermissionDenied, docs/filters.md).</summary>
public sealed class TxRefusedException : Exception
{
    public TxRefusedException(string entity, string message)
        : base(message)
    {
        Entity = entity;
    }

    public TxRefusedException()
    {
        Entity = "";
    }

    public TxRefusedException(string message)
        : base(message)
    {
        Entity = "";
    }

    public TxRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = "";
    }

    /// <summary>The entity of the refused operation.</summary>
    public string Entity { get; }
}
