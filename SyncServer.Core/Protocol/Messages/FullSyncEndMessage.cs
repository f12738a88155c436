namespace SyncServer.Core.Protocol.Messages;

/// <summary>The snapshot is complete: objects of synced entities the client has but the snapshot had not are gone.</summary>
public sealed record FullSyncEndMessage(ulong SnapshotPosition) : SyncMessage
{
    public override MessageType Type => MessageType.FullSyncEnd;
}
