namespace SyncServer.Client.Sync;

/// <summary>Local IDs changed by incoming data, per entity, collected during one local transaction. Not thread-safe.</summary>
internal sealed class ChangeSet
{
    // Hash sets, sorted once for the event: a full sync adds 1,000 IDs per message (a SortedSet insert per object cost
    // a tree node and a log-n walk each).
    private readonly Dictionary<EntityInfo, (HashSet<ulong> Put, HashSet<ulong> Removed)> _entities = [];

    public bool IsEmpty => _entities.Count == 0;

    public void Put(EntityInfo entity, ulong id)
    {
        var (put, removed) = For(entity);
        removed.Remove(id);
        put.Add(id);
    }

    public void Remove(EntityInfo entity, ulong id)
    {
        var (put, removed) = For(entity);
        put.Remove(id);
        removed.Add(id);
    }

    public IEnumerable<DataChangedEventArgs> ToEvents() =>
        _entities.Select(e => new DataChangedEventArgs(e.Key.Name, [.. e.Value.Put.Order()], [.. e.Value.Removed.Order()]));

    private (HashSet<ulong> Put, HashSet<ulong> Removed) For(EntityInfo entity)
    {
        if (!_entities.TryGetValue(entity, out var sets))
        {
            sets = ([], []);
            _entities[entity] = sets;
        }

        return sets;
    }
}
