using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// One per transaction being applied, on the writer's thread inside the batch's write transaction; not thread-safe.
/// <summary>
/// Applies one client transaction's operations to the sync tables with the conflict rules of docs/conflicts.md, and
/// collects what other clients must see (the effective ops) and what the sender must be told (corrections). With sync
/// filters it checks the sender's writes against its filters (docs/filters.md, "Writes"), keeps the filter index, and
/// records the before-images filtered deliveries need (<see cref="Filters.FilterContext"/>).
/// </summary>
/// <param name="filters">The server's filters (for the index and the before-images).</param>
/// <param name="sender">The sender's filters, whose writes are checked; null for the server's own TXs.</param>
internal sealed class TxApplier(
    ISyncWriteBatch store, ObjectBoxModel clientModel, ObjectBoxModel? currentModel, ulong position, SyncFilterSet filters, ClientFilters? sender)
{
    private readonly List<SyncOp> _effective = [];
    private readonly FilterContext _context = new();
    // The filter index entries of this TX, by (property key, value): appended once at its end (docs/storage.md).
    private readonly Dictionary<(int Key, object Value), List<ulong>> _indexEntries = [];
    private int _opIndex;
    private readonly List<(ModelEntity Entity, ulong ObjectId)> _lost = [];
    private readonly List<(ulong RelationUid, LinkOp Link)> _droppedLinks = [];

    /// <summary>The operations that changed something, in order: what goes into the txlog.</summary>
    public IReadOnlyList<SyncOp> EffectiveOps => _effective;

    public int PutConflicts { get; private set; }

    /// <summary>The TX's <see cref="Filters.FilterContext"/> encoding; null when it touched no filtered entity.</summary>
    public byte[]? FilterContextBytes => _context.ToBytes();

    /// <exception cref="TxRefusedException">An op writes what the sender's filter does not allow; the caller undoes the TX.</exception>
    public void Apply(IReadOnlyList<SyncOp> ops)
    {
        for (_opIndex = 0; _opIndex < ops.Count; _opIndex++)
        {
            var op = ops[_opIndex];
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

        FlushIndexEntries();
    }

    /// <summary>The winning state of every object where an op of this transaction lost, as it is after the whole
    /// transaction: a PUT with the stored data, or a REMOVE with the tombstone's clock; and an UNLINK for each dropped
    /// LINK (an end not stored) that is not stored at the end of the transaction either.</summary>
    public IReadOnlyList<SyncOp> Corrections()
    {
        if (_lost.Count == 0 && _droppedLinks.Count == 0)
        {
            return [];
        }

        var corrections = new List<SyncOp>(_lost.Count + _droppedLinks.Count);
        foreach (var (entity, objectId) in _lost.Distinct())
        {
            if (store.GetObject(entity.Id.Uid, objectId) is { } data)
            {
                corrections.Add(SenderCanSee(entity.Id.Uid, data) ? new PutOp(entity.Id.Id, objectId, data) : new RemoveOp(entity.Id.Id, objectId, 0));
            }
            else if (store.GetTombstone(entity.Id.Uid, objectId) is { } tombstone)
            {
                corrections.Add(new RemoveOp(entity.Id.Id, objectId, tombstone.Clock));
            }
        }

        foreach (var (relationUid, link) in _droppedLinks.Distinct())
        {
            if (!store.HasLink(relationUid, link.SourceId, link.TargetId))
            {
                corrections.Add(link with { Linked = false });
            }
        }

        return corrections;
    }

    /// <summary>The stored state of every object and link <paramref name="ops"/> touch, for the sender of a duplicate
    /// (a resend after a lost ACK, whose outcome is not kept): a PUT with the stored data, or a REMOVE (the tombstone's
    /// clock, else 0) when the object is not stored; a LINK or an UNLINK. In the order first touched.</summary>
    public IReadOnlyList<SyncOp> StateOf(IReadOnlyList<SyncOp> ops)
    {
        var state = new List<SyncOp>();
        var seen = new HashSet<(int Kind, uint Id, ulong A, ulong B)>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case PutOp or RemoveOp:
                {
                    var (entityId, objectId) = op is PutOp put ? (put.EntityId, put.ObjectId) : (((RemoveOp)op).EntityId, ((RemoveOp)op).ObjectId);
                    if (!seen.Add((0, entityId, objectId, 0)))
                    {
                        break;
                    }

                    var uid = Entity(entityId).Id.Uid;
                    var (stored, tombstone) = store.GetObjectOrTombstone(uid, objectId);
                    state.Add(stored is not null && SenderCanSee(uid, stored)
                        ? new PutOp(entityId, objectId, stored)
                        : new RemoveOp(entityId, objectId, stored is null ? tombstone?.Clock ?? 0 : 0));
                    break;
                }

                case LinkOp link when seen.Add((1, link.RelationId, link.SourceId, link.TargetId)):
                {
                    var relation = SyncModelIndex.For(clientModel).FindRelation(link.RelationId)
                        ?? throw new InvalidOperationException($"relation ID {link.RelationId} is not in the client's schema version");
                    var source = sender?.For(relation.Owner.Id.Uid) is null ? null : store.GetObject(relation.Owner.Id.Uid, link.SourceId);
                    if (source is null || SenderCanSee(relation.Owner.Id.Uid, source))
                    {
                        state.Add(link with { Linked = store.HasLink(relation.Relation.Id.Uid, link.SourceId, link.TargetId) });
                    }

                    break;
                }
            }
        }

        return state;
    }

    private void ApplyPut(PutOp put)
    {
        var entity = Entity(put.EntityId);
        var full = FullEntity(entity);
        var uid = entity.Id.Uid;
        var incoming = Stamp(full, entity, put.Data.Span);
        var (stored, tombstone) = store.GetObjectOrTombstone(uid, put.ObjectId);

        // What the object is once written: an older client's put keeps the stored values of the properties it lacks.
        var data = stored is not null && !ReferenceEquals(full, entity) && LacksProperties(entity, full)
            ? (ReadOnlyMemory<byte>)ObjectCodec.Merge(full, stored, put.Data.Span, entity)
            : put.Data;
        CheckWrite(entity, put.ObjectId, stored, data.Span);
        if (stored is not null)
        {
            if (ConflictStamp.Loses(incoming, Stamp(full, full, stored)))
            {
                Lose(entity, put.ObjectId);
                return;
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
        Record(uid, put.ObjectId, stored, data.Span);
        _effective.Add(data.Equals(put.Data) ? put : put with { Data = data });
    }

    private void ApplyRemove(RemoveOp remove)
    {
        var entity = Entity(remove.EntityId);
        var full = FullEntity(entity);
        var uid = entity.Id.Uid;
        var hasClock = SyncModelIndex.ClockProperty(full) is not null;
        var clock = hasClock ? remove.Clock : 0;
        var existing = store.GetObject(uid, remove.ObjectId);
        CheckWrite(entity, remove.ObjectId, existing, null);
        if (existing is { } stored)
        {
            var storedStamp = Stamp(full, full, stored);
            if (clock < storedStamp.Clock)
            {
                // The object changed after the remover last saw it: the remove loses, the sender gets the object back.
                _lost.Add((entity, remove.ObjectId));
                return;
            }

            store.DeleteObject(uid, remove.ObjectId);
            Record(uid, remove.ObjectId, stored, null);
            RemoveLinksOf(uid, remove.ObjectId);
            store.PutTombstone(uid, remove.ObjectId, position, storedStamp with { Clock = clock });
            _effective.Add(remove.Clock == clock ? remove : remove with { Clock = clock });
        }
        else if (hasClock)
        {
            // Nothing to remove (already removed, or its put has not arrived): no txlog entry, but a later put must beat
            // this remover's clock, as if the remove had come after it.
            var tombstone = store.GetTombstone(uid, remove.ObjectId);
            if (tombstone is null || tombstone.Value.Clock < clock)
            {
                store.PutTombstone(uid, remove.ObjectId, position, new ConflictStamp(tombstone?.Precedence ?? 0, clock));
            }
        }
    }

    private void ApplyLink(LinkOp link)
    {
        var relation = SyncModelIndex.For(clientModel).FindRelation(link.RelationId)
            ?? throw new InvalidOperationException($"relation ID {link.RelationId} is not in the client's schema version");
        var relationUid = relation.Relation.Id.Uid;
        var ownerUid = relation.Owner.Id.Uid;
        var source = filters.IsFiltered(ownerUid) ? store.GetObject(ownerUid, link.SourceId) : null;
        if (source is not null && sender?.For(ownerUid) is { } senderFilter && !senderFilter.Matches(source))
        {
            throw Refused(relation.Owner, $"{(link.Linked ? "LINK" : "UNLINK")} from {relation.Owner.Name} {link.SourceId}, which is not visible to this client", senderFilter);
        }

        bool changed;
        if (link.Linked)
        {
            // A link needs both ends stored at this point of the TX (put before, or earlier in this TX): a link to an
            // object that was removed or never stored would dangle. Dropped, and the sender gets an UNLINK.
            if (store.HasObject(relation.Owner.Id.Uid, link.SourceId) && store.HasObject(relation.Relation.TargetId.Uid, link.TargetId))
            {
                changed = store.Link(relationUid, link.SourceId, link.TargetId);
            }
            else
            {
                _droppedLinks.Add((relationUid, link));
                changed = false;
            }
        }
        else
        {
            changed = store.Unlink(relationUid, link.SourceId, link.TargetId);
        }

        if (changed)
        {
            if (filters.IsFiltered(ownerUid))
            {
                _context.Cover(ownerUid);
                if (source is not null)
                {
                    _context.Add(_effective.Count, source);
                }
            }

            _effective.Add(link);
        }
    }

    // The sender may write an object it can see as stored (if it is) and as written (if it writes it): docs/filters.md.
    private void CheckWrite(ModelEntity entity, ulong objectId, byte[]? stored, ReadOnlySpan<byte> written)
    {
        if (sender?.For(entity.Id.Uid) is not { } filter)
        {
            return;
        }

        if (stored is not null && !filter.Matches(stored))
        {
            throw Refused(entity, $"{entity.Name} {objectId} is not visible to this client", filter);
        }

        if (!written.IsEmpty && !filter.Matches(written))
        {
            throw Refused(entity, $"{entity.Name} {objectId} as written does not match this client's filter", filter);
        }
    }

    private TxRefusedException Refused(ModelEntity entity, string what, ClientFilter filter) =>
        new(entity.Name, $"operation {_opIndex}: {what} (sync filter \"{filter.Filter.Expression}\")");

    // The filter index and the before-image of an applied PUT or REMOVE of a filtered entity. The index only grows: an
    // entry that no longer holds (the value changed, the object was removed) stays until the next rebuild, and every
    // read through it checks the object itself (docs/filters.md, "Cost").
    private void Record(ulong entityUid, ulong objectId, byte[]? before, ReadOnlySpan<byte> after)
    {
        if (!filters.IsFiltered(entityUid))
        {
            return;
        }

        _context.Cover(entityUid);
        if (before is not null)
        {
            _context.Add(_effective.Count, before);
        }

        if (after.IsEmpty)
        {
            return;
        }

        var old = before is null ? null : FilterIndexer.Keys(filters, entityUid, before);
        foreach (var entry in FilterIndexer.Keys(filters, entityUid, after))
        {
            if (old is not null && old.Contains(entry))
            {
                continue; // the value did not change: its entry holds
            }

            if (!_indexEntries.TryGetValue(entry, out var ids))
            {
                ids = [];
                _indexEntries[entry] = ids;
            }

            ids.Add(objectId);
        }
    }

    private void FlushIndexEntries()
    {
        foreach (var ((key, value), ids) in _indexEntries)
        {
            store.AppendIndexEntries(key, value, position, ids);
        }

        _indexEntries.Clear();
    }

    private bool SenderCanSee(ulong entityUid, byte[] data) => sender is null || sender.CanSee(entityUid, data);

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
