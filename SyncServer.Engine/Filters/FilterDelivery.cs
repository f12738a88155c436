using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Filters;

// Immutable once decoded; shared by every session that delivers the TX (StoredTx.Delivery): thread-safe.
/// <summary>
/// A committed TX as filtered deliveries read it: its ops decoded once, with the before-images of its
/// <see cref="FilterContext"/>, so that each filtered client only evaluates its filter (docs/filters.md, "Reads").
/// </summary>
internal sealed class FilterDelivery
{
    private readonly HashSet<ulong>? _covered;
    private readonly Dictionary<int, byte[]> _before;

    private FilterDelivery(IReadOnlyList<SyncOp> ops, HashSet<ulong>? covered, Dictionary<int, byte[]> before)
    {
        Ops = ops;
        _covered = covered;
        _before = before;
    }

    public IReadOnlyList<SyncOp> Ops { get; }

    public static FilterDelivery Decode(StoredTx tx)
    {
        var ops = new EncodedTx(tx.Position, tx.CommittedUnixMs, tx.EncodedOps).DecodeOps();
        if (tx.FilterContext is not { } context)
        {
            return new FilterDelivery(ops, null, []);
        }

        var (covered, before) = FilterContext.Read(context);
        return new FilterDelivery(ops, covered, before);
    }

    /// <summary>
    /// The ops <paramref name="filters"/>' client may receive: a PUT that matches its filter; for a PUT that does not, a
    /// REMOVE when the object matched before the put (it leaves the client's view), else nothing; a REMOVE of an object it
    /// could see; a LINK or UNLINK whose source it can see (docs/filters.md). Null when every op goes unchanged.
    /// Ops of TXs written before their entity was filtered have no before-images: a non-matching PUT then becomes a
    /// REMOVE, and REMOVE, LINK and UNLINK go as they are (harmless for a client that does not have the object).
    /// </summary>
    /// <param name="filteredOut">Adds the PUTs left out or turned into REMOVEs.</param>
    public IReadOnlyList<SyncOp>? For(ClientFilters filters, ref int filteredOut)
    {
        List<SyncOp>? result = null;
        for (var i = 0; i < Ops.Count; i++)
        {
            var op = Ops[i];
            var keep = Deliver(filters, i, op);
            if (ReferenceEquals(keep, op) && result is null)
            {
                continue;
            }

            if (result is null)
            {
                result = new List<SyncOp>(Ops.Count);
                for (var j = 0; j < i; j++)
                {
                    result.Add(Ops[j]);
                }
            }

            if (!ReferenceEquals(keep, op) && op is PutOp)
            {
                filteredOut++;
            }

            if (keep is not null)
            {
                result.Add(keep);
            }
        }

        return result;
    }

    private SyncOp? Deliver(ClientFilters filters, int index, SyncOp op)
    {
        switch (op)
        {
            case PutOp put when filters.ForEntityId(put.EntityId) is { } filter:
            {
                if (filter.Matches(put.Data.Span))
                {
                    return put;
                }

                if (!IsCovered(filter.Filter.EntityUid))
                {
                    return new RemoveOp(put.EntityId, put.ObjectId, 0);
                }

                return _before.TryGetValue(index, out var before) && filter.Matches(before) ? new RemoveOp(put.EntityId, put.ObjectId, 0) : null;
            }

            case RemoveOp remove when filters.ForEntityId(remove.EntityId) is { } filter:
                return !IsCovered(filter.Filter.EntityUid) || (_before.TryGetValue(index, out var removed) && filter.Matches(removed)) ? remove : null;
            case LinkOp link when filters.ForRelationSource(link.RelationId) is { } filter:
                return !IsCovered(filter.Filter.EntityUid) || (_before.TryGetValue(index, out var source) && filter.Matches(source)) ? link : null;
            default:
                return op;
        }
    }

    private bool IsCovered(ulong entityUid) => _covered is not null && _covered.Contains(entityUid);
}
