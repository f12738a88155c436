namespace SyncServer.Core.Protocol;

/// <summary>
/// Remove an object. <paramref name="Clock"/> is the remover's hybrid logical clock when the entity has a SYNC_CLOCK
/// property (it competes with puts like a put's clock value), otherwise 0.
/// </summary>
public sealed record RemoveOp(uint EntityId, ulong ObjectId, ulong Clock) : SyncOp;
