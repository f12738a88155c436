namespace SyncServer.Client.Sync;

/// <summary>What a queued TX touches: an object (entity, local ID) or a link (relation, source, target). Incoming changes
/// to a pending key are skipped, since the queued change reaches the server later and wins there.</summary>
internal readonly record struct PendingKey(bool IsLink, uint SchemaId, ulong First, ulong Second)
{
    public static PendingKey Object(uint entity, ulong id) => new(false, entity, id, 0);

    public static PendingKey Link(uint relation, ulong source, ulong target) => new(true, relation, source, target);
}
