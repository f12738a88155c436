using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Data;

// One per export, not thread-safe: one enumeration at a time.
/// <summary>
/// One consistent state of the objects and links, read lazily (rows are streamed, never collected), for exports.
/// </summary>
public sealed class ObjectSnapshot : IDisposable
{
    private readonly IStorageSnapshot _snapshot;

    internal ObjectSnapshot(IStorageSnapshot snapshot) => _snapshot = snapshot;

    /// <summary>The txlog position of the last transaction the snapshot includes.</summary>
    public ulong Position => _snapshot.Position;

    /// <summary>The entity's objects in ID order, one row at a time.</summary>
    public IEnumerable<StoredObject> Objects(ulong entityUid) => _snapshot.Objects(entityUid);

    /// <summary>The standalone relation's links (source ID, target ID) in source, then target order.</summary>
    public IEnumerable<(ulong Source, ulong Target)> Links(ulong relationUid) => _snapshot.Links(relationUid);

    public void Dispose() => _snapshot.Dispose();
}
