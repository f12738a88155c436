using SyncServer.Client.Store;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Ids;

/// <summary>
/// Translates object IDs between the app's local IDs and the global IDs on the wire (docs/ids.md): the object ID, the ID
/// property inside the data, ToOne properties (in the target entity's ID space) and link ends. New pairs go into the
/// store's ID map, so it must be called inside a local transaction. Not thread-safe (used under the client's store lock).
/// </summary>
internal sealed class IdTranslator(ClientModel model, LocalStore store)
{
    public const int LocalIdBits = 40;

    /// <summary>The server's number for this client; 0 until the first login (nothing can be sent before).</summary>
    public uint ClientNumber { get; set; }

    /// <summary>Local → global: the mapped global ID, or for an object created here, <c>number &lt;&lt; 40 | local</c>
    /// (recorded now, the first time it is sent). 0 stays 0; SHARED_GLOBAL_IDS entities are not mapped.</summary>
    public ulong ToGlobal(EntityInfo entity, ulong local)
    {
        if (local == 0 || entity.IsShared)
        {
            return local;
        }

        if (store.FindGlobal(entity.Id, local) is { } mapped)
        {
            return mapped;
        }

        if (ClientNumber == 0)
        {
            throw new InvalidOperationException("No client number yet: global IDs exist only after the first login.");
        }

        var global = ((ulong)ClientNumber << LocalIdBits) | local;
        store.AddMapping(entity.Id, local, global);
        return global;
    }

    /// <summary>Global → local: the mapped local ID, or a new one from the entity's sequence for an unknown global ID
    /// (one this client created itself maps back to its own local ID). 0 stays 0; SHARED_GLOBAL_IDS are verbatim.</summary>
    public ulong ToLocal(EntityInfo entity, ulong global)
    {
        if (global == 0 || entity.IsShared)
        {
            return global;
        }

        if (_expectNew && TryMapNew(entity, global) is { } added)
        {
            return added;
        }

        if (store.FindLocal(entity.Id, global) is { } mapped)
        {
            _expectNew = false;
            return mapped;
        }

        _expectNew = true;

        var ownLocal = global & LocalStore.MaxLocalId;
        ulong local;
        if (ClientNumber != 0 && global >> LocalIdBits == ClientNumber && ownLocal != 0 && store.FindGlobal(entity.Id, ownLocal) is null)
        {
            local = ownLocal;
            store.ReserveLocalId(entity.Id, local);
        }
        else
        {
            local = store.NextLocalId(entity.Id);
        }

        store.AddMapping(entity.Id, local, global);
        return local;
    }

    // Whether the last global ID translated was new here. A full sync brings mostly unknown objects: for them one insert
    // that fails on a known ID replaces a lookup and an insert (a third of the SQL per object); while IDs keep being
    // known (live updates), the lookup comes first as before.
    private bool _expectNew;

    /// <summary>Maps an unknown <paramref name="global"/> to the local ID <see cref="ToLocal"/> would give it, in one
    /// insert; null (nothing changed) when the global ID or that local ID is mapped already.</summary>
    private ulong? TryMapNew(EntityInfo entity, ulong global)
    {
        var ownLocal = global & LocalStore.MaxLocalId;
        var own = ClientNumber != 0 && global >> LocalIdBits == ClientNumber && ownLocal != 0;
        var last = store.LastLocalId(entity.Id);
        var local = own ? ownLocal : last + 1;
        if (local > LocalStore.MaxLocalId || !store.TryAddMapping(entity.Id, local, global))
        {
            return null;
        }

        if (own)
        {
            store.ReserveLocalId(entity.Id, local);
        }
        else
        {
            store.NextLocalId(entity.Id); // gives out `local`: the sequence was at `last`
        }

        return local;
    }

    /// <summary>Global → local without creating a mapping: null when this client has never seen the object.</summary>
    public ulong? TryToLocal(EntityInfo entity, ulong global)
    {
        if (global == 0 || entity.IsShared)
        {
            return global;
        }

        if (store.FindLocal(entity.Id, global) is { } mapped)
        {
            return mapped;
        }

        var ownLocal = global & LocalStore.MaxLocalId;
        return ClientNumber != 0 && global >> LocalIdBits == ClientNumber && store.FindGlobal(entity.Id, ownLocal) is null
            ? ownLocal
            : null;
    }

    /// <summary>An operation in local IDs as it goes on the wire.</summary>
    public SyncOp ToWire(SyncOp op)
    {
        switch (op)
        {
            case PutOp put:
            {
                var entity = model.FindEntity(put.EntityId)!;
                var global = ToGlobal(entity, put.ObjectId);
                return put with { ObjectId = global, Data = TranslateData(entity, put.Data.Span, global, outgoing: true) };
            }

            case RemoveOp remove:
                return remove with { ObjectId = ToGlobal(model.FindEntity(remove.EntityId)!, remove.ObjectId) };
            case LinkOp link:
            {
                var relation = model.FindRelation(link.RelationId)!;
                return link with { SourceId = ToGlobal(relation.Source, link.SourceId), TargetId = ToGlobal(relation.Target, link.TargetId) };
            }

            default:
                throw new ArgumentException($"unknown operation {op.GetType().Name}", nameof(op));
        }
    }

    /// <summary>Rewrites the ID property to <paramref name="newId"/> and every ToOne property into the other ID space.</summary>
    public byte[] TranslateData(EntityInfo entity, ReadOnlySpan<byte> data, ulong newId, bool outgoing)
    {
        var values = ObjectCodec.Decode(entity.Entity, data);
        TranslateValues(entity, values, newId, outgoing);
        return ObjectCodec.Encode(entity.Entity, values);
    }

    /// <summary><see cref="TranslateData"/> on decoded values, in place.</summary>
    public void TranslateValues(EntityInfo entity, Dictionary<uint, object?> values, ulong newId, bool outgoing)
    {
        values[entity.IdProperty.Id.Id] = newId;
        foreach (var (propertyId, targetEntityId) in entity.ToOnes)
        {
            if (values.TryGetValue(propertyId, out var value) && value is not null)
            {
                var id = ClientModel.AsId(value);
                if (id != 0)
                {
                    var target = model.FindEntity(targetEntityId)!;
                    values[propertyId] = outgoing ? ToGlobal(target, id) : ToLocal(target, id);
                }
            }
        }
    }
}
