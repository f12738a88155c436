namespace SyncServer.Core.Protocol;

/// <summary>
/// A committed transaction as the server sends it to other clients: its server position (commit order, from 1; 0 for a
/// correction that only tells the sender the winning state after a conflict), commit time and operations.
/// </summary>
public sealed record ServerTx(ulong Position, long CommittedUnixMs, IReadOnlyList<SyncOp> Ops);
