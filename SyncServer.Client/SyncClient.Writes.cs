using SyncServer.Client.Store;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>Local reads and writes: each write is one local transaction that also queues its TX in the outbox.</summary>
public sealed partial class SyncClient
{
    /// <summary>The operations of the local write transaction in progress (null when none is open).</summary>
    private List<SyncOp>? _batch;

    /// <summary>Runs <paramref name="action"/> as one local transaction and one outgoing TX: every Put, Remove and link
    /// change inside it (from any box of this client, on this thread) commits together or not at all.</summary>
    public void RunInTransaction(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Write(() =>
        {
            action();
            return 0;
        });
    }

    /// <inheritdoc cref="RunInTransaction(Action)"/>
    public T RunInTransaction<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Write(action);
    }

    internal T Write<T>(Func<T> action)
    {
        List<SyncOp> ops;
        ulong txId = 0;
        T result;
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_batch is not null)
            {
                return action(); // joins the transaction in progress
            }

            ops = _batch = [];
            T value = default!;
            try
            {
                InLocalTransaction(() =>
                {
                    value = action();
                    if (ops.Count > 0)
                    {
                        txId = _store.Enqueue(EncodeOps(ops));
                    }
                });
            }
            finally
            {
                _batch = null;
            }

            result = value;

            if (txId != 0)
            {
                _pending.Add(txId, ops);
            }
        }

        if (txId != 0)
        {
            _outboxGrew.Set();
        }

        return result;
    }

    internal ulong PutObject(EntityInfo entity, Dictionary<uint, object?> values)
    {
        var idProperty = entity.IdProperty.Id.Id;
        var id = ClientModel.AsId(values.GetValueOrDefault(idProperty));
        if (entity.IsShared && id == 0)
        {
            throw new ArgumentException(
                $"Entity \"{entity.Name}\" has SHARED_GLOBAL_IDS: the app must give every object a non-zero ID, unique across devices.",
                nameof(values));
        }

        if (!entity.IsShared && id > LocalStore.MaxLocalId)
        {
            throw new ArgumentException($"ID {id} is above the largest local ID (2^40 - 1).", nameof(values));
        }

        return Write(() =>
        {
            if (id == 0)
            {
                id = _store.NextLocalId(entity.Id);
            }
            else if (!entity.IsShared)
            {
                _store.ReserveLocalId(entity.Id, id);
            }

            values[idProperty] = id;
            if (entity.ClockProperty is { } clockProperty)
            {
                var clock = _clock.Next();
                values[clockProperty.Id.Id] = clockProperty.Flags.HasFlag(PropertyFlags.Unsigned) ? clock : (object)(long)clock;
            }

            var data = ObjectCodec.Encode(entity.Entity, values);
            _store.PutObject(entity.Id, id, data);
            if (entity.IsSynced)
            {
                _batch!.Add(new PutOp(entity.Id, id, data));
            }

            return id;
        });
    }

    internal bool RemoveObject(EntityInfo entity, ulong id) => Write(() =>
    {
        if (!_store.DeleteObject(entity.Id, id))
        {
            return false;
        }

        RemoveLinksOf(entity, id);
        if (entity.IsSynced)
        {
            _batch!.Add(new RemoveOp(entity.Id, id, entity.ClockProperty is null ? 0 : _clock.Next()));
        }

        return true;
    });

    internal bool SetLink(RelationInfo relation, ulong source, ulong target, bool linked)
    {
        if (source == 0 || target == 0)
        {
            throw new ArgumentException("Link ends must be object IDs, not 0.");
        }

        return Write(() =>
        {
            var changed = linked ? _store.AddLink(relation.Id, source, target) : _store.RemoveLink(relation.Id, source, target);
            if (changed && relation.IsSynced)
            {
                _batch!.Add(new LinkOp(relation.Id, source, target, linked));
            }

            return changed;
        });
    }

    internal Dictionary<uint, object?>? GetObject(EntityInfo entity, ulong id)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var data = _store.GetObject(entity.Id, id);
            return data is null ? null : Decode(entity, data);
        }
    }

    internal List<Dictionary<uint, object?>> GetObjects(EntityInfo entity)
    {
        List<(ulong Id, byte[] Data)> rows;
        lock (_gate)
        {
            ThrowIfDisposed();
            rows = _store.GetObjects(entity.Id);
        }

        return [.. rows.Select(row => Decode(entity, row.Data))];
    }

    /// <summary>Decodes a stored object; ID and ToOne values are always <c>ulong</c>.</summary>
    private static Dictionary<uint, object?> Decode(EntityInfo entity, byte[] data)
    {
        var values = ObjectCodec.Decode(entity.Entity, data);
        var idProperty = entity.IdProperty.Id.Id;
        values[idProperty] = ClientModel.AsId(values.GetValueOrDefault(idProperty));
        foreach (var (propertyId, _) in entity.ToOnes)
        {
            if (values.TryGetValue(propertyId, out var value) && value is not null and not ulong)
            {
                values[propertyId] = ClientModel.AsId(value);
            }
        }

        return values;
    }

    internal long CountObjects(EntityInfo entity)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _store.CountObjects(entity.Id);
        }
    }

    internal List<ulong> GetLinks(RelationInfo relation, ulong id, bool backlinks)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return backlinks ? _store.GetLinkSources(relation.Id, id) : _store.GetLinkTargets(relation.Id, id);
        }
    }

    /// <summary>Removes the local links from and to a removed object (no operations: the REMOVE implies them).</summary>
    private void RemoveLinksOf(EntityInfo entity, ulong id)
    {
        foreach (var relation in _model.Relations)
        {
            if (relation.Source == entity)
            {
                _store.RemoveLinksFrom(relation.Id, id);
            }

            if (relation.Target == entity)
            {
                _store.RemoveLinksTo(relation.Id, id);
            }
        }
    }
}
