namespace SyncServer.Core.Protocol;

/// <summary>A client's transaction: its ID (monotonic per client, from 1) and its operations, applied atomically.</summary>
public sealed record ClientTx(ulong ClientTxId, IReadOnlyList<SyncOp> Ops);
