namespace SyncServer.Core.Protocol;

/// <summary>
/// One change inside a transaction, as it travels in APPLY_TX, TXS and FULL_SYNC_DATA and as the server stores it in its
/// transaction log. Object IDs are global IDs (docs/ids.md); entity and relation IDs are the model's small IDs, which
/// stay the same across compatible schema versions.
/// </summary>
public abstract record SyncOp;
