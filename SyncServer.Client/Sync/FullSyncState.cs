namespace SyncServer.Client.Sync;

/// <summary>A full sync in progress: the objects and links the snapshot held so far. Not thread-safe.</summary>
internal sealed class FullSyncState(ulong snapshotPosition)
{
    public ulong SnapshotPosition { get; } = snapshotPosition;

    public HashSet<PendingKey> Seen { get; } = [];
}
