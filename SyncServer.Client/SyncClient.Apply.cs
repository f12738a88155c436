using SyncServer.Client.Store;
using SyncServer.Client.Sync;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client;

/// <summary>Applying the server's operations to the local store, in local IDs, and the full sync.</summary>
public sealed partial class SyncClient
{
    private FullSyncState? _fullSync;

    /// <summary>Applies operations in global IDs inside the open local transaction. A change to an object or link that a
    /// queued TX also changes is skipped (that TX reaches the server later and wins there), except in a correction
    /// (<paramref name="correction"/>: the server's word on a conflict). Unknown or unsynced entities are ignored.</summary>
    private void ApplyOps(IReadOnlyList<SyncOp> ops, bool correction, ChangeSet changes, HashSet<PendingKey>? seen)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case PutOp put when _model.FindEntity(put.EntityId) is { IsSynced: true } entity:
                {
                    var local = _ids.ToLocal(entity, put.ObjectId);
                    var key = PendingKey.Object(entity.Id, local);
                    seen?.Add(key);
                    if (!correction && _pending.Contains(key))
                    {
                        break;
                    }

                    _store.PutObject(entity.Id, local, ToLocalData(entity, put.Data.Span, local));
                    changes.Put(entity, local);
                    break;
                }

                case RemoveOp remove when _model.FindEntity(remove.EntityId) is { IsSynced: true } entity:
                {
                    _clock.Observe(remove.Clock);
                    if (_ids.TryToLocal(entity, remove.ObjectId) is not { } local
                        || (!correction && _pending.Contains(PendingKey.Object(entity.Id, local))))
                    {
                        break;
                    }

                    if (_store.DeleteObject(entity.Id, local))
                    {
                        RemoveLinksOf(entity, local);
                        changes.Remove(entity, local);
                    }

                    break;
                }

                case LinkOp link when _model.FindRelation(link.RelationId) is { IsSynced: true } relation:
                {
                    var source = _ids.ToLocal(relation.Source, link.SourceId);
                    var target = _ids.ToLocal(relation.Target, link.TargetId);
                    var key = PendingKey.Link(relation.Id, source, target);
                    seen?.Add(key);
                    if (!correction && _pending.Contains(key))
                    {
                        break;
                    }

                    if (link.Linked ? _store.AddLink(relation.Id, source, target) : _store.RemoveLink(relation.Id, source, target))
                    {
                        changes.Put(relation.Source, source);
                    }

                    break;
                }
            }
        }
    }

    /// <summary>An incoming object's bytes in local-ID terms, its clock value observed. When only the ID differs between
    /// the two ID spaces (no ToOne properties), the ID field is overwritten in a copy, checked as decoding would check it:
    /// decoding and re-encoding every object of a full sync cost more than storing it.</summary>
    private byte[] ToLocalData(EntityInfo entity, ReadOnlySpan<byte> data, ulong local)
    {
        if (entity.OnlyIdToTranslate)
        {
            ObjectCodec.Validate(entity.Entity, data);
            var copy = data.ToArray();
            if (ObjectCodec.TryWriteInt64(entity.Entity, copy, entity.IdProperty.Id.Id, unchecked((long)local)))
            {
                if (entity.ClockProperty is { } clockProperty && ObjectCodec.TryReadScalar(entity.Entity, copy, clockProperty.Id.Id, out var clock))
                {
                    _clock.Observe(unchecked((ulong)clock));
                }

                return copy;
            }
        }

        var values = ObjectCodec.Decode(entity.Entity, data);
        _ids.TranslateValues(entity, values, local, outgoing: false);
        if (entity.ClockProperty is { } property && values.GetValueOrDefault(property.Id.Id) is { } clockValue)
        {
            _clock.Observe(ClientModel.AsId(clockValue));
        }

        return ObjectCodec.Encode(entity.Entity, values);
    }

    private void OnFullSyncBegin(FullSyncBeginMessage begin)
    {
        lock (_gate)
        {
            _fullSync = new FullSyncState(begin.SnapshotPosition);
            _pending.Protected = _pending.KeysNewerThan(begin.SnapshotPosition);
        }
    }

    private void OnFullSyncData(FullSyncDataMessage data)
    {
        var changes = new ChangeSet();
        lock (_gate)
        {
            ThrowIfDisposed();
            var fullSync = _fullSync ?? throw new ProtocolException(ErrorCode.UnexpectedMessage, "FULL_SYNC_DATA without FULL_SYNC_BEGIN");
            InLocalTransaction(() => ApplyOps(data.Ops, correction: false, changes, fullSync.Seen));
        }

        RaiseChanges(changes);
    }

    /// <summary>Forgets synced objects and links the snapshot did not hold (keeping queued and just-sent changes), then
    /// moves to the snapshot's position.</summary>
    private async Task OnFullSyncEndAsync(SyncConnection connection, FullSyncEndMessage end)
    {
        var changes = new ChangeSet();
        lock (_gate)
        {
            ThrowIfDisposed();
            var fullSync = _fullSync ?? throw new ProtocolException(ErrorCode.UnexpectedMessage, "FULL_SYNC_END without FULL_SYNC_BEGIN");
            InLocalTransaction(() =>
            {
                foreach (var entity in _model.Entities.Where(e => e.IsSynced))
                {
                    foreach (var id in _store.GetObjectIds(entity.Id))
                    {
                        var key = PendingKey.Object(entity.Id, id);
                        if (!fullSync.Seen.Contains(key) && !_pending.Contains(key) && _store.DeleteObject(entity.Id, id))
                        {
                            RemoveLinksOf(entity, id);
                            changes.Remove(entity, id);
                        }
                    }
                }

                foreach (var relation in _model.Relations.Where(r => r.IsSynced))
                {
                    foreach (var (source, target) in _store.GetLinks(relation.Id))
                    {
                        var key = PendingKey.Link(relation.Id, source, target);
                        if (!fullSync.Seen.Contains(key) && !_pending.Contains(key) && _store.RemoveLink(relation.Id, source, target))
                        {
                            changes.Put(relation.Source, source);
                        }
                    }
                }

                _store.SetMeta(MetaKeys.Position, end.SnapshotPosition);
            });
            _fullSync = null;
            _pending.Protected = null;
            _pending.ForgetAckedUpTo(end.SnapshotPosition);
        }

        RaiseChanges(changes);
        await connection.SendAsync(new TxsAppliedMessage(end.SnapshotPosition)).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> in a local transaction that also saves the clock; caller holds the lock.</summary>
    private void InLocalTransaction(Action action)
    {
        var clockBefore = _clock.Last;
        _store.Begin();
        try
        {
            action();
            if (_clock.Last != clockBefore)
            {
                _store.SetMeta(MetaKeys.Clock, _clock.Last);
            }

            _store.Commit();
        }
        catch
        {
            _store.Rollback();
            throw;
        }
    }

    private void RaiseChanges(ChangeSet changes)
    {
        foreach (var change in changes.ToEvents())
        {
            Raise(DataChanged, change);
        }
    }
}
