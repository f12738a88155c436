using SyncServer.Core.Protocol;

namespace SyncServer.Client.Sync;

/// <summary>The keys touched by the TXs in the outbox, with a count per key. Not thread-safe (used under the store lock).</summary>
internal sealed class PendingSet
{
    private readonly Dictionary<PendingKey, int> _counts = [];
    private readonly Dictionary<ulong, PendingKey[]> _byTx = [];

    // ACKed TXs whose position the client has not reached yet, oldest first: a full sync from a snapshot before their
    // position must keep what they changed (the server never echoes a client's own TXs back to it).
    private readonly Queue<(ulong Position, PendingKey[] Keys)> _acked = new();

    /// <summary>While a full sync runs: keys that were pending at its start or became pending or were ACKed since, which
    /// its end must not remove (the snapshot may predate them).</summary>
    public HashSet<PendingKey>? Protected { get; set; }

    public int TxCount => _byTx.Count;

    public bool Contains(PendingKey key) => _counts.ContainsKey(key) || (Protected?.Contains(key) ?? false);

    public void Add(ulong txId, IEnumerable<SyncOp> ops)
    {
        var keys = ops.Select(KeyOf).Distinct().ToArray();
        _byTx[txId] = keys;
        foreach (var key in keys)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            Protected?.Add(key);
        }
    }

    /// <summary>At most this many ACKed TXs are remembered past the client's position.</summary>
    public const int MaxRememberedAcks = 100_000;

    /// <summary>The TX was ACKed at <paramref name="position"/> (0: it logged nothing): no longer pending, but its keys
    /// are remembered until the client's position reaches it (<see cref="ForgetAckedUpTo"/>).</summary>
    public void Acknowledge(ulong txId, ulong position)
    {
        if (position != 0 && _byTx.TryGetValue(txId, out var keys))
        {
            _acked.Enqueue((position, keys));
            if (_acked.Count > MaxRememberedAcks)
            {
                _acked.Dequeue();
            }
        }

        Remove(txId);
    }

    /// <summary>The client applied everything up to <paramref name="position"/>: ACKed TXs up to it are forgotten.</summary>
    public void ForgetAckedUpTo(ulong position)
    {
        while (_acked.TryPeek(out var oldest) && oldest.Position <= position)
        {
            _acked.Dequeue();
        }
    }

    /// <summary>What a full sync from a snapshot at <paramref name="snapshotPosition"/> must not remove: the pending keys
    /// and those of TXs ACKed at a later position (their changes are not in the snapshot).</summary>
    public HashSet<PendingKey> KeysNewerThan(ulong snapshotPosition) =>
        [.. Keys, .. _acked.Where(a => a.Position > snapshotPosition).SelectMany(a => a.Keys)];

    /// <returns>Whether the TX was queued.</returns>
    public bool Remove(ulong txId)
    {
        if (!_byTx.Remove(txId, out var keys))
        {
            return false;
        }

        foreach (var key in keys)
        {
            var count = _counts[key] - 1;
            if (count == 0)
            {
                _counts.Remove(key);
            }
            else
            {
                _counts[key] = count;
            }
        }

        return true;
    }

    /// <summary>Whether a TX with an ID up to <paramref name="txId"/> is still queued.</summary>
    public bool HasTxUpTo(ulong txId) => _byTx.Keys.Any(id => id <= txId);

    public IEnumerable<ulong> TxIds => _byTx.Keys;

    public IEnumerable<PendingKey> Keys => _counts.Keys;

    public static PendingKey KeyOf(SyncOp op) => op switch
    {
        PutOp put => PendingKey.Object(put.EntityId, put.ObjectId),
        RemoveOp remove => PendingKey.Object(remove.EntityId, remove.ObjectId),
        LinkOp link => PendingKey.Link(link.RelationId, link.SourceId, link.TargetId),
        _ => throw new ArgumentException($"unknown operation {op.GetType().Name}", nameof(op)),
    };
}
