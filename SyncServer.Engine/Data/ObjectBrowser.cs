using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Data;

// Singleton, thread-safe: every call reads through its own storage read or snapshot; nothing here writes.
/// <summary>
/// Read-only access to the stored objects and links for the admin UI: counts, pages sorted by ID or last change (SQL) or
/// by one property's value (<see cref="PageByProperty"/>, bounded by <see cref="PropertySortLimit"/>), one object,
/// and <see cref="OpenSnapshot"/> for a consistent streamed export. Objects are keyed by entity UID (docs/storage.md);
/// decoding them is the caller's business (<see cref="Core.Objects.ObjectCodec"/>).
/// </summary>
public sealed partial class ObjectBrowser
{
    /// <summary>The default of the property sort limit (--admin-sort-limit).</summary>
    public const int DefaultPropertySortLimit = 200_000;

    /// <summary>The most objects an entity may have to be sorted by a property.</summary>
    public int PropertySortLimit { get; }

    private readonly ISyncStorage _storage;

    /// <param name="storage">The store to read.</param>
    /// <param name="propertySortLimit">The most objects an entity may have for <see cref="PageByProperty"/> (which decodes
    /// one field of each); larger entities sort by ID or last change only.</param>
    internal ObjectBrowser(ISyncStorage storage, int propertySortLimit = DefaultPropertySortLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(propertySortLimit);
        _storage = storage;
        PropertySortLimit = propertySortLimit;
    }

    /// <summary>Object count per entity UID (entities without objects are absent).</summary>
    public IReadOnlyDictionary<ulong, long> CountAll() => _storage.CountObjects();

    public long Count(ulong entityUid)
    {
        using var snapshot = _storage.OpenSnapshot();
        return snapshot.CountObjects(entityUid);
    }

    /// <summary>
    /// One page of an entity's objects. IDs sort as SQLite stores them (signed), which is their numeric order for every
    /// ID below 2^63.
    /// </summary>
    public IReadOnlyList<StoredObject> Page(ulong entityUid, int skip, int take, ObjectOrder order = ObjectOrder.Id, bool descending = false) =>
        _storage.PageObjects(entityUid, skip, take, order, descending);

    public StoredObject? Get(ulong entityUid, ulong id) => _storage.GetObject(entityUid, id);

    /// <summary>
    /// A read snapshot over all objects and links: what it returns is one committed state, whatever is written while
    /// it is read. Dispose it soon (it holds back WAL checkpoints).
    /// </summary>
    public ObjectSnapshot OpenSnapshot() => new(_storage.OpenSnapshot());
}
