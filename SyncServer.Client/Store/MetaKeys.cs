namespace SyncServer.Client.Store;

/// <summary>Keys of the meta table.</summary>
internal static class MetaKeys
{
    /// <summary>The server's number for this client (docs/ids.md), 0 before the first login.</summary>
    public const string ClientNumber = "client_number";
    /// <summary>The last server position applied locally.</summary>
    public const string Position = "position";
    /// <summary>The last client TX ID given out (the next TX gets this + 1).</summary>
    public const string LastTxId = "last_tx_id";
    /// <summary>The hybrid logical clock's last value.</summary>
    public const string Clock = "hlc";
}
