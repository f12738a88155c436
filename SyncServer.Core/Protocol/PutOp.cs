namespace SyncServer.Core.Protocol;

/// <summary>Create or replace an object: <paramref name="Data"/> is its FlatBuffers table (docs/objects.md).</summary>
public sealed record PutOp(uint EntityId, ulong ObjectId, ReadOnlyMemory<byte> Data) : SyncOp;
