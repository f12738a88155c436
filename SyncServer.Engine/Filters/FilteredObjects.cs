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
    public static IEnumerable<StoredObject> Candidates(IStorageSnapshot snapshot, ModelEntity entity, ClientFilter filter)
    {
        if (filter.Plan() is not { } lookups)
        {
            return snapshot.Objects(entity.Id.Uid);
        }

        return lookups.Count == 1 ? Lookup(snapshot, entity, lookups[0]) : Union(snapshot, entity, lookups);
    }

    private static IEnumerable<StoredObject> Lookup(IStorageSnapshot snapshot, ModelEntity entity, FilterLookup lookup) =>
        snapshot.IndexedObjects(entity.Id.Uid, lookup.Property.Id.Uid, [.. lookup.Values.Select(FilterIndexer.Key).OfType<object>()]);

    private static IEnumerable<StoredObject> Union(IStorageSnapshot snapshot, ModelEntity entity, IReadOnlyList<FilterLookup> lookups)
    {
        var seen = new HashSet<ulong>();
        foreach (var lookup in lookups)
        {
            foreach (var candidate in Lookup(snapshot, entity, lookup))
            {
                if (seen.Add(candidate.Id))
                {
                    yield return candidate;
                }
            }
        }
    }
}
