using SyncServer.Core.Model;
using SyncServer.Engine.Data;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Filters;

/// <summary>
/// The candidates a filtered read looks at: with a filter the index can narrow (every OR branch has an <c>==</c> or
/// <c>IN</c> term, docs/filters.md "Cost"), the objects the filter index lists for the branches' values; otherwise every
/// object of the entity. Each candidate still needs <see cref="ClientFilter.Matches"/>.
/// </summary>
internal static class FilteredObjects
{
    public static IEnumerable<StoredObject> Candidates(IStorageSnapshot snapshot, ModelEntity entity, ClientFilter filter, SyncFilterSet set)
    {
        if (filter.Plan() is not { } lookups || lookups.Any(l => set.IndexKeyOf(entity.Id.Uid, l.Property.Id.Uid) is null))
        {
            return snapshot.Objects(entity.Id.Uid);
        }

        return lookups.Count == 1 ? Lookup(snapshot, entity, set, lookups[0]) : Union(snapshot, entity, set, lookups);
    }

    private static IEnumerable<StoredObject> Lookup(IStorageSnapshot snapshot, ModelEntity entity, SyncFilterSet set, FilterLookup lookup) =>
        snapshot.IndexedObjects(entity.Id.Uid, set.IndexKeyOf(entity.Id.Uid, lookup.Property.Id.Uid)!.Value,
            [.. lookup.Values.Select(FilterIndexer.Key).OfType<object>()]);

    private static IEnumerable<StoredObject> Union(IStorageSnapshot snapshot, ModelEntity entity, SyncFilterSet set, IReadOnlyList<FilterLookup> lookups)
    {
        var seen = new HashSet<ulong>();
        foreach (var lookup in lookups)
        {
            foreach (var candidate in Lookup(snapshot, entity, set, lookup))
            {
                if (seen.Add(candidate.Id))
                {
                    yield return candidate;
                }
            }
        }
    }
}
