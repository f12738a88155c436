namespace SyncServer.Core.Protocol;

/// <summary>Add (<paramref name="Linked"/> true) or remove a link of a standalone (many-to-many) relation.</summary>
public sealed record LinkOp(uint RelationId, ulong SourceId, ulong TargetId, bool Linked) : SyncOp;
