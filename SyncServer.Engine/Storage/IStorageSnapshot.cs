using SyncServer.Engine.Data;

namespace SyncServer.Engine.Storage;

/// <summary>Called for each object of a scan with its ID and stored bytes (valid only during the call).</summary>
internal delegate void ObjectDataVisitor(ulong id, ReadOnlySpan<byte> data);

// One per reader, not thread-safe: one enumeration at a time. Rows are streamed, never collected.
/// <summary>
/// One committed state of the sync data, opened by <see cref="ISyncStorage.OpenSnapshot"/>: for a full sync, an export
/// or a property sort, every read sees the state at <see cref="Position"/>.
/// </summary>
internal interface IStorageSnapshot : IDisposable
{
    /// <summary>The TX log position of the last transaction the snapshot includes.</summary>
    ulong Position { get; }

    long CountObjects(ulong entityUid);

    /// <summary>The entity's objects in ID order.</summary>
    IEnumerable<StoredObject> Objects(ulong entityUid);

    /// <summary>Every object in entity UID, then ID order.</summary>
    IEnumerable<(ulong EntityUid, ulong Id, byte[] Data)> AllObjects();

    /// <summary>Calls <paramref name="visit"/> for each object of the entity (in no particular order) without copying its bytes.</summary>
    void ScanObjects(ulong entityUid, ObjectDataVisitor visit);

    /// <summary>The objects with the given IDs, in that order (missing ones left out).</summary>
    IReadOnlyList<StoredObject> GetObjects(ulong entityUid, IEnumerable<ulong> ids);

    /// <summary>The relation's links (source ID, target ID) in source, then target order.</summary>
    IEnumerable<(ulong Source, ulong Target)> Links(ulong relationUid);

    /// <summary>Every link in relation UID, source, then target order.</summary>
    IEnumerable<(ulong RelationUid, ulong Source, ulong Target)> AllLinks();

    /// <summary>The objects of the entity the filter index lists for one of <paramref name="values"/> of the indexed
    /// property <paramref name="key"/> (docs/storage.md), by ID, each once: every object that has one of the values, and
    /// possibly some that had one (the index is checked against the objects by the caller).</summary>
    IEnumerable<StoredObject> IndexedObjects(ulong entityUid, int key, IReadOnlyList<object> values);

    /// <summary>The IDs of the entity's tombstones written after <paramref name="afterPosition"/>.</summary>
    IEnumerable<ulong> TombstonesAfter(ulong entityUid, ulong afterPosition);

    /// <summary>The links of the relation from <paramref name="source"/>.</summary>
    IReadOnlyList<ulong> LinkTargets(ulong relationUid, ulong source);
}
