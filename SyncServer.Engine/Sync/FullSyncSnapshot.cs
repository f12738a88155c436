using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// One per full sync, owned by one session; not thread-safe. Enumerate Batches once.
/// <summary>
/// All sync data at one txlog position, read from one <see cref="IStorageSnapshot"/>: PUT ops for all objects, then LINK ops for
/// all links, in batches bounded by operation count and bytes (FULL_SYNC_DATA carries PUT and LINK only: a client forgets
/// the synced objects a full sync did not contain, docs/protocol.md). After applying it, a client continues from <see cref="Position"/> with the
/// <see cref="TxFeed"/>.
/// </summary>
internal sealed class FullSyncSnapshot : IDisposable
{
    private const int OpOverhead = OpCodec.MinOpSize + 8;

    private readonly IStorageSnapshot _snapshot;
    private readonly ObjectBoxModel _model;
    private readonly int _maxOps;
    private readonly int _maxBytes;
    private readonly ClientFilters _filters;
    private bool _enumerated;

    internal FullSyncSnapshot(IStorageSnapshot snapshot, ObjectBoxModel model, int maxOps, int maxBytes, ClientFilters filters)
    {
        _filters = filters;
        _snapshot = snapshot;
        _model = model;
        _maxOps = maxOps;
        _maxBytes = maxBytes;
    }

    /// <summary>The txlog position the snapshot shows: the last transaction committed before it was opened.</summary>
    public ulong Position => _snapshot.Position;

    /// <summary>The operations in batches; can be enumerated once.</summary>
    public IEnumerable<IReadOnlyList<SyncOp>> Batches
    {
        get
        {
            if (_enumerated)
            {
                throw new InvalidOperationException("A snapshot's batches can be enumerated once");
            }

            _enumerated = true;
            return Batch(Ops());
        }
    }

    public void Dispose() => _snapshot.Dispose();

    private IEnumerable<IReadOnlyList<SyncOp>> Batch(IEnumerable<SyncOp> ops)
    {
        var batch = new List<SyncOp>();
        long bytes = 0;
        foreach (var op in ops)
        {
            var size = OpOverhead + (op is PutOp put ? put.Data.Length : 0);
            if (batch.Count > 0 && (batch.Count >= _maxOps || bytes + size > _maxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(op);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private IEnumerable<SyncOp> Ops()
    {
        if (_filters.IsEmpty)
        {
            foreach (var (entityUid, id, data) in _snapshot.AllObjects())
            {
                if (SyncedEntity(entityUid) is { } entity)
                {
                    yield return new PutOp(entity.Id.Id, id, data);
                }
            }
        }
        else
        {
            // Filtered entities: the candidates of the filter index (or all objects), each checked; the IDs the client
            // can see are kept for the links from them.
            foreach (var entity in _model.Entities.Where(e => e.IsSyncEnabled))
            {
                var uid = entity.Id.Uid;
                if (_filters.For(uid) is not { } filter)
                {
                    foreach (var stored in _snapshot.Objects(uid))
                    {
                        yield return new PutOp(entity.Id.Id, stored.Id, stored.Data);
                    }

                    continue;
                }

                var visible = new HashSet<ulong>();
                foreach (var candidate in FilteredObjects.Candidates(_snapshot, entity, filter, _filters.Set))
                {
                    if (filter.Matches(candidate.Data))
                    {
                        visible.Add(candidate.Id);
                        yield return new PutOp(entity.Id.Id, candidate.Id, candidate.Data);
                    }
                }

                _visible[uid] = visible;
            }
        }

        var relations = SyncModelIndex.For(_model);
        foreach (var (relationUid, source, target) in _snapshot.AllLinks())
        {
            if (relations.FindRelationByUid(relationUid) is { Target: not null } relation
                && relation.Owner.IsSyncEnabled && relation.Target.IsSyncEnabled
                && (!_visible.TryGetValue(relation.Owner.Id.Uid, out var sources) || sources.Contains(source)))
            {
                yield return new LinkOp(relation.Relation.Id.Id, source, target, Linked: true);
            }
        }
    }

    // Per filtered entity, the IDs this full sync sent (the sources whose links it sends).
    private readonly Dictionary<ulong, HashSet<ulong>> _visible = [];

    private ModelEntity? SyncedEntity(ulong entityUid) =>
        _model.FindEntityByUid(entityUid) is { IsSyncEnabled: true } entity ? entity : null;
}
