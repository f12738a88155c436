namespace SyncServer.Client.Sync;

/// <summary>Local IDs changed by incoming data, per entity, collected during one local transaction. Not thread-safe.</summary>
internal sealed class ChangeSet
{
    private readonly Dictionary<EntityInfo, (SortedSet<ulong> Put, SortedSet<ulong> Removed)> _entities = [];

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
        _entities.Select(e => new DataChangedEventArgs(e.Key.Name, [.. e.Value.Put], [.. e.Value.Removed]));

    private (SortedSet<ulong> Put, SortedSet<ulong> Removed) For(EntityInfo entity)
    {
        if (!_entities.TryGetValue(entity, out var sets))
        {
            sets = ([], []);
            _entities[entity] = sets;
        }

        return sets;
    }
}
