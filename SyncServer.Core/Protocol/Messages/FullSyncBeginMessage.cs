namespace SyncServer.Core.Protocol.Messages;

/// <summary>A snapshot of all synced objects at <paramref name="SnapshotPosition"/> follows in FULL_SYNC_DATA messages.</summary>
public sealed record FullSyncBeginMessage(ulong SnapshotPosition) : SyncMessage
{
    public override MessageType Type => MessageType.FullSyncBegin;
}
