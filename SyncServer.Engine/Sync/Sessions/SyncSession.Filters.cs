using System.Text.Json;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Filters;

namespace SyncServer.Engine.Sync.Sessions;

// Sync filters of one session (docs/filters.md): resolved at login, applied to deliveries (.Updates, .FullSync) and
// writes (.Apply). The filter-change delta runs on the updates loop.
internal sealed partial class SyncSession
{
    private const int DeltaBatchOps = 5_000;

    // Set once at login (receive loop), before the updates loop starts.
    private ClientFilters _filters = ClientFilters.None;

    // The filters the client's store matched at its last converged login, when they differ from _filters: the updates
    // loop sends the delta once, at its first catch-up. Null: nothing to converge.
    private ClientFilters? _previousFilters;

    // The state this login's filters converge the client's store to; armed (_pendingState) once the delta or the full
    // sync is queued, and stored when the client then confirms a position (it confirms only what it applied, and in
    // this session the delta came first). Receive loop and updates loop: volatile reference.
    private PendingFilterState? _convergeTo;
    private PendingFilterState? _pendingState;

    // While the catch-up covers positions up to _deltaUpTo, ops of the delta's entities were already covered by the
    // delta; links from their objects go when the source is in the delta's visible set (updates loop only).
    private ulong _deltaUpTo;
    private Dictionary<ulong, HashSet<ulong>>? _deltaVisible;

    /// <summary>The filters of this session (for the admin UI's explain view).</summary>
    internal ClientFilters Filters => _filters;

    /// <summary>The login's filters; null after a refusal (LOGIN_RESULT 44, sent here).</summary>
    private ClientFilters? ResolveFilters(LoginMessage login, AuthResult auth)
    {
        var set = _services.Filters.Current;
        if (set.IsEmpty)
        {
            return ClientFilters.None;
        }

        var client = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var lists = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in login.Variables)
        {
            client[variable.Name] = variable.Values;
            if (variable.IsList)
            {
                lists.Add(variable.Name);
            }
        }

        try
        {
            return set.Resolve(new FilterVariableValues(auth.Claims, client, lists));
        }
        catch (FilterVariableMissingException e)
        {
            Refuse(LoginResultCode.FilterVariableMissing, e.Message);
            return null;
        }
    }

    /// <summary>
    /// After the client record is known: decides whether the client's store must converge from the filters it last
    /// matched (stored with the client) to this login's. A new client (position 0) gets a full sync with this login's
    /// filters; the state is stored once it confirms it.
    /// </summary>
    private void PrepareFilterChange(ClientRecord client, ulong lastPosition)
    {
        var stored = client.FilterState is { } json ? FilterState.Parse(json) : FilterState.Empty;
        if (stored.Equals(_filters.State))
        {
            return;
        }

        _convergeTo = new PendingFilterState(_filters.State.Json, lastPosition);
        if (lastPosition == 0)
        {
            return; // a full sync sends exactly what the new filters show
        }

        try
        {
            var model = _services.Filters.Current.Model ?? _clientModel!;
            _previousFilters = SyncFilterSet.Parse(model, stored.Expressions).Resolve(stored.ToVariableValues());
        }
        catch (Exception e) when (e is FilterException or FilterVariableMissingException or JsonException)
        {
            // The old filters no longer fit the model: start over with a full sync under the new ones.
            SessionLog.FilterChangeNeedsFullSync(_log, ClientNumber, e.Message);
            _cursor.Advance(CursorOwner.UpdatesLoop, 0);
        }
    }

    /// <summary>The delta or the full sync that converges the client's store is queued: its next confirmation stores
    /// the state.</summary>
    private void ArmFilterState()
    {
        if (Interlocked.Exchange(ref _convergeTo, null) is { } state)
        {
            Volatile.Write(ref _pendingState, state);
        }
    }

    /// <summary>TXS_APPLIED: once the client confirms a position after the delta or full sync was queued, its store
    /// matches this login's filters, which are stored for its next login.</summary>
    private void ConfirmFilterState(ulong position)
    {
        if (Volatile.Read(ref _pendingState) is { } pending && position >= pending.After
            && Interlocked.CompareExchange(ref _pendingState, null, pending) == pending)
        {
            _services.Clients.SaveFilterState(_client!.Number, pending.Json);
            SessionLog.FilterStateStored(_log, ClientNumber, position);
        }
    }

    /// <summary>
    /// The filter-change delta at a snapshot S: for the entities either filter set filters, the PUTs of objects the client
    /// may now see and did not have (an object unchanged since the client's position it had exactly when the old filter
    /// matched it; a changed one it may have in an older version), the REMOVEs of objects it had and may no longer see (and
    /// of every object removed since its position), and the links from objects it newly gets. Sent as TXS with position 0,
    /// before any TXS with a position, so the client's next confirmed position implies it applied the delta.
    /// </summary>
    private async Task SendFilterDeltaAsync(ulong clientPosition, CancellationToken ct)
    {
        var previous = _previousFilters!;
        _previousFilters = null;
        var view = _services.Schemas.View(_schemaVersionId);
        var model = _clientModel!;
        using var snapshot = _services.Snapshots.OpenRaw();
        await WaitForPushLimitAsync(snapshot.Position, ct).ConfigureAwait(false);
        var visibleSets = new Dictionary<ulong, HashSet<ulong>>();
        var ops = new List<SyncOp>();
        long bytes = 0;
        int puts = 0, removes = 0;
        var relations = SyncModelIndex.For(model);
        foreach (var entity in model.Entities.Where(e => e.IsSyncEnabled))
        {
            var uid = entity.Id.Uid;
            var (before, now) = (previous.For(uid), _filters.For(uid));
            if (before is null && now is null)
            {
                continue;
            }

            var visible = new HashSet<ulong>();
            foreach (var stored in snapshot.Objects(uid))
            {
                var sees = now?.Matches(stored.Data) ?? true;
                var had = stored.Position <= clientPosition ? before?.Matches(stored.Data) ?? true : (bool?)null;
                if (sees)
                {
                    visible.Add(stored.Id);
                }

                if (sees && had != true)
                {
                    ops.Add(new PutOp(entity.Id.Id, stored.Id, stored.Data));
                    bytes += stored.Data.Length;
                    puts++;
                    foreach (var relation in relations.Relations.Where(r => r.Owner.Id.Uid == uid && r.Target is { IsSyncEnabled: true }))
                    {
                        foreach (var target in snapshot.LinkTargets(relation.Relation.Id.Uid, stored.Id))
                        {
                            ops.Add(new LinkOp(relation.Relation.Id.Id, stored.Id, target, Linked: true));
                        }
                    }
                }
                else if (!sees && had != false)
                {
                    ops.Add(new RemoveOp(entity.Id.Id, stored.Id, 0));
                    removes++;
                }

                if (ops.Count >= DeltaBatchOps || bytes >= _options.BatchMaxBytes)
                {
                    await SendDeltaAsync(view, ops, ct).ConfigureAwait(false);
                    (ops, bytes) = ([], 0);
                }
            }

            foreach (var removed in snapshot.TombstonesAfter(uid, clientPosition))
            {
                ops.Add(new RemoveOp(entity.Id.Id, removed, 0));
                removes++;
            }

            visibleSets[uid] = visible;
        }

        if (ops.Count > 0)
        {
            await SendDeltaAsync(view, ops, ct).ConfigureAwait(false);
        }

        _deltaUpTo = snapshot.Position;
        _deltaVisible = visibleSets;
        SessionLog.FilterDeltaSent(_log, ClientNumber, clientPosition, snapshot.Position, puts, removes);
    }

    private async Task SendDeltaAsync(ClientSchemaView view, List<SyncOp> ops, CancellationToken ct)
    {
        var shown = view.IsIdentity ? ops : view.Filter(ops);
        if (shown.Count > 0)
        {
            var tx = EncodedTx.From(new ServerTx(0, _time.GetUtcNow().ToUnixTimeMilliseconds(), shown));
            await SendAsync(MessageCodec.EncodeTxs(historic: true, [tx]), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The ops of <paramref name="tx"/> this client may receive; null when all of them go unchanged.</summary>
    private IReadOnlyList<SyncOp>? FilterForClient(StoredTx tx)
    {
        if (_filters.IsEmpty && _deltaVisible is null)
        {
            return null;
        }

        var filteredOut = 0;
        IReadOnlyList<SyncOp>? ops = null;
        if (!_filters.IsEmpty)
        {
            var started = _time.GetTimestamp();
            ops = tx.Delivery.For(_filters, ref filteredOut);
            _services.Statistics.FilterEvaluated(_time.GetElapsedTime(started).TotalSeconds);
        }

        if (filteredOut > 0)
        {
            _services.Statistics.ObjectsFilteredOut(filteredOut);
        }

        if (_deltaVisible is { } covered)
        {
            if (tx.Position > _deltaUpTo)
            {
                _deltaVisible = null; // past the delta's snapshot: deliveries are filtered as usual from here
            }
            else
            {
                ops = [.. (ops ?? tx.Delivery.Ops).Where(op => !CoveredByDelta(covered, op))];
            }
        }

        return ops;
    }

    // Objects of the delta's entities up to its snapshot came with the delta; links from them go when the source is
    // visible at the snapshot.
    private bool CoveredByDelta(Dictionary<ulong, HashSet<ulong>> covered, SyncOp op) => op switch
    {
        PutOp put => EntityUid(put.EntityId) is { } uid && covered.ContainsKey(uid),
        RemoveOp remove => EntityUid(remove.EntityId) is { } uid && covered.ContainsKey(uid),
        LinkOp link => SyncModelIndex.For(_clientModel!).FindRelation(link.RelationId) is { } relation
            && covered.TryGetValue(relation.Owner.Id.Uid, out var sources) && !sources.Contains(link.SourceId),
        _ => false,
    };

    private ulong? EntityUid(uint entityId) => _clientModel!.FindEntity(entityId)?.Id.Uid;

    private sealed record PendingFilterState(string Json, ulong After);
}
