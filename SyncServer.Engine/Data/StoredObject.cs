namespace SyncServer.Engine.Data;

/// <summary>One stored object as the server keeps it: its ID, the txlog position of its last change, its FlatBuffers bytes.</summary>
public sealed record StoredObject(ulong Id, ulong Position, byte[] Data);
