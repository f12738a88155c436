using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Sync;

/// <summary>The result of a committed client transaction; the sender may be ACKed once it has this.</summary>
/// <param name="Status">Applied, or Duplicate (nothing done).</param>
/// <param name="Position">The txlog position of the transaction's effective ops; 0 when nothing was logged (a duplicate,
/// or every op lost or changed nothing).</param>
/// <param name="PutConflicts">How many puts lost against the stored object or tombstone (docs/conflicts.md).</param>
/// <param name="Corrections">For the sender only: the winning state of each object where one of its ops lost (a PUT
/// with the stored data, or a REMOVE when a tombstone won) and an UNLINK for each LINK dropped because an end is not
/// stored, in the sender's entity IDs. For a duplicate: the stored state of every object and link the TX touches.</param>
/// <param name="Refusal">For <see cref="TxStatus.Refused"/>: why, naming the operation, and the entity it writes.</param>
internal sealed record TxOutcome(TxStatus Status, ulong Position, int PutConflicts, IReadOnlyList<SyncOp> Corrections, (string Entity, string Reason)? Refusal = null)
{
    internal static TxOutcome DuplicateOutcome { get; } = new(TxStatus.Duplicate, 0, 0, []);
}
