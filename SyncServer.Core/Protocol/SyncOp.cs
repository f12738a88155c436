namespace SyncServer.Core.Protocol;

/// <summary>
/// One change inside a transaction, as it travels in APPLY_TX, TXS and FULL_SYNC_DATA and as the server stores it in its
/// transaction log. Object IDs are global IDs (docs/ids.md); entity and relation IDs are the model's small IDs, which
/// stay the same across compatible schema versions.
/// </summary>
public abstract record SyncOp;

/// <summary>Create or replace an object: <paramref name="Data"/> is its FlatBuffers table (docs/objects.md).</summary>
public sealed record PutOp(uint EntityId, ulong ObjectId, ReadOnlyMemory<byte> Data) : SyncOp;

/// <summary>
/// Remove an object. <paramref name="Clock"/> is the remover's hybrid logical clock when the entity has a SYNC_CLOCK
/// property (it competes with puts like a put's clock value), otherwise 0.
/// </summary>
public sealed record RemoveOp(uint EntityId, ulong ObjectId, ulong Clock) : SyncOp;

/// <summary>Add (<paramref name="Linked"/> true) or remove a link of a standalone (many-to-many) relation.</summary>
public sealed record LinkOp(uint RelationId, ulong SourceId, ulong TargetId, bool Linked) : SyncOp;
