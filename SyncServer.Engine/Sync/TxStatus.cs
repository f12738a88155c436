namespace SyncServer.Engine.Sync;

/// <summary>What <see cref="TxWriter"/> did with a client transaction.</summary>
internal enum TxStatus
{
    /// <summary>The transaction was applied (possibly with losing puts) and committed.</summary>
    Applied = 1,

    /// <summary>The client TX ID was not above the client's last applied one: nothing was applied, ACK it again.</summary>
    Duplicate = 2,

    /// <summary>The sender's sync filter does not allow the TX: nothing of it was stored (ERROR PermissionDenied).</summary>
    Refused = 3,
}
