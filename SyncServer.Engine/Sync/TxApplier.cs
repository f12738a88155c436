using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// One per transaction being applied, on the writer's thread inside the batch's write transaction; not thread-safe.
/// <summary>
/// Applies one client transaction's operations to the sync tables with the conflict rules of docs/conflicts.md, and
/// collects what other clients must see (the effective ops) and what the sender must be told (corrections).
/// </summary>
internal sealed class TxApplier(ISyncWriteBatch store, ObjectBoxModel clientModel, ObjectBoxModel? currentModel, ulong position)
{
    private readonly List<SyncOp> _effective = [];
    private readonly List<(ModelEntity Entity, ulong ObjectId)> _lost = [];

    /// <summary>The operations that changed something, in order: what goes into the txlog.</summary>
    public IReadOnlyList<SyncOp> EffectiveOps => _effective;

    public int PutConflicts { get; private set; }

    public void Apply(IReadOnlyList<SyncOp> ops)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case PutOp put:
                    ApplyPut(put);
                    break;
                case RemoveOp remove:
                    ApplyRemove(remove);
                    break;
                case LinkOp link:
                    ApplyLink(link);
                    break;
                default:
                    throw new InvalidOperationException($"unknown operation {op.GetType().Name}");
            }
        }
    }

    /// <summary>The winning state of every object where an op of this transaction lost, as it is after the whole
    /// transaction: a PUT with the stored data, or a REMOVE with the tombstone's clock.</summary>
    public IReadOnlyList<SyncOp> Corrections()
    {
        if (_lost.Count == 0)
        {
            return [];
        }

        var corrections = new List<SyncOp>(_lost.Count);
        foreach (var (entity, objectId) in _lost.Distinct())
        {
            if (store.GetObject(entity.Id.Uid, objectId) is { } data)
            {
                corrections.Add(new PutOp(entity.Id.Id, objectId, data));
            }
            else if (store.GetTombstone(entity.Id.Uid, objectId) is { } tombstone)
            {
                corrections.Add(new RemoveOp(entity.Id.Id, objectId, tombstone.Clock));
            }
        }

        return corrections;
    }

    private void ApplyPut(PutOp put)
    {
        var entity = Entity(put.EntityId);
        var full = FullEntity(entity);
        var uid = entity.Id.Uid;
        var incoming = Stamp(full, entity, put.Data.Span);
        var data = put.Data;
        var (stored, tombstone) = store.GetObjectOrTombstone(uid, put.ObjectId);
        if (stored is not null)
        {
            if (ConflictStamp.Loses(incoming, Stamp(full, full, stored)))
            {
                Lose(entity, put.ObjectId);
                return;
            }

            if (!ReferenceEquals(full, entity) && LacksProperties(entity, full))
            {
                data = ObjectCodec.Merge(full, stored, put.Data.Span, entity);
            }
        }
        else if (tombstone is not null)
        {
            if (ConflictStamp.Loses(incoming, tombstone.Value))
            {
                Lose(entity, put.ObjectId);
                return;
            }

            store.DeleteTombstone(uid, put.ObjectId);
        }

        store.PutObject(uid, put.ObjectId, data, position);
        _effective.Add(data.Equals(put.Data) ? put : put with { Data = data });
    }

    private void ApplyRemove(RemoveOp remove)
    {
        var entity = Entity(remove.EntityId);
        var full = FullEntity(entity);
        var uid = entity.Id.Uid;
        var hasClock = SyncModelIndex.ClockProperty(full) is not null;
        var clock = hasClock ? remove.Clock : 0;
        if (store.GetObject(uid, remove.ObjectId) is { } stored)
        {
            var storedStamp = Stamp(full, full, stored);
            if (clock < storedStamp.Clock)
            {
                // The object changed after the remover last saw it: the remove loses, the sender gets the object back.
                _lost.Add((entity, remove.ObjectId));
                return;
            }

            store.DeleteObject(uid, remove.ObjectId);
            RemoveLinksOf(uid, remove.ObjectId);
            store.PutTombstone(uid, remove.ObjectId, position, storedStamp with { Clock = clock });
            _effective.Add(remove.Clock == clock ? remove : remove with { Clock = clock });
        }
        else if (hasClock)
        {
            // Nothing to remove (already removed, or its put has not arrived): no txlog entry, but a later put must beat
            // this remover's clock, as if the remove had come after it.
            var existing = store.GetTombstone(uid, remove.ObjectId);
            if (existing is null || existing.Value.Clock < clock)
            {
                store.PutTombstone(uid, remove.ObjectId, position, new ConflictStamp(existing?.Precedence ?? 0, clock));
            }
        }
    }

    private void ApplyLink(LinkOp link)
    {
        var relation = SyncModelIndex.For(clientModel).FindRelation(link.RelationId)
            ?? throw new InvalidOperationException($"relation ID {link.RelationId} is not in the client's schema version");
        var relationUid = relation.Relation.Id.Uid;
        bool changed;
        if (link.Linked)
        {
            // A link to an object that is removed (and not put again) would dangle: the remove already dropped its links.
            changed = !IsRemoved(relation.Owner.Id.Uid, link.SourceId)
                && !IsRemoved(relation.Relation.TargetId.Uid, link.TargetId)
                && store.Link(relationUid, link.SourceId, link.TargetId);
        }
        else
        {
            changed = store.Unlink(relationUid, link.SourceId, link.TargetId);
        }

        if (changed)
        {
            _effective.Add(link);
        }
    }

    private bool IsRemoved(ulong entityUid, ulong id) =>
        store.GetTombstone(entityUid, id) is not null && store.GetObject(entityUid, id) is null;

    // Links of every standalone relation the object is on, as source or target, in the client's and the current model.
    private void RemoveLinksOf(ulong entityUid, ulong id)
    {
        var done = new HashSet<(ulong, bool)>();
        foreach (var model in currentModel is null ? [clientModel] : new[] { clientModel, currentModel })
        {
            foreach (var relation in SyncModelIndex.For(model).Relations)
            {
                var relationUid = relation.Relation.Id.Uid;
                if (relation.Owner.Id.Uid == entityUid && done.Add((relationUid, true)))
                {
                    store.UnlinkSource(relationUid, id);
                }

                if (relation.Relation.TargetId.Uid == entityUid && done.Add((relationUid, false)))
                {
                    store.UnlinkTarget(relationUid, id);
                }
            }
        }
    }

    private void Lose(ModelEntity entity, ulong objectId)
    {
        PutConflicts++;
        _lost.Add((entity, objectId));
    }

    private ModelEntity Entity(uint entityId) => clientModel.FindEntity(entityId)
        ?? throw new InvalidOperationException($"entity ID {entityId} is not in the client's schema version");

    // The entity as the server's current schema version has it (all properties), matched by UID; the client's own if
    // the current version does not have it.
    private ModelEntity FullEntity(ModelEntity clientEntity) =>
        currentModel?.FindEntityByUid(clientEntity.Id.Uid) is { } full && !ReferenceEquals(currentModel, clientModel)
            ? full
            : clientEntity;

    private static bool LacksProperties(ModelEntity client, ModelEntity full) =>
        full.Properties.Any(p => client.FindProperty(p.Id.Id)?.Id.Uid != p.Id.Uid);

    // The conflict properties are the full entity's; data written by an older client may lack them (they count as 0).
    private static ConflictStamp Stamp(ModelEntity full, ModelEntity dataEntity, ReadOnlySpan<byte> data) => new(
        ReadUnsigned(SyncModelIndex.PrecedenceProperty(full), dataEntity, data),
        ReadUnsigned(SyncModelIndex.ClockProperty(full), dataEntity, data));

    private static ulong ReadUnsigned(ModelProperty? property, ModelEntity dataEntity, ReadOnlySpan<byte> data) =>
        property is not null
        && dataEntity.FindProperty(property.Id.Id)?.Id.Uid == property.Id.Uid
        && ObjectCodec.TryReadScalar(dataEntity, data, property.Id.Id, out var value)
            ? unchecked((ulong)value)
            : 0;
}
