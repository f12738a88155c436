using System.Globalization;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// Singleton, thread-safe: the TxWriter publishes under _gate; readers copy from the ring under _gate and read older
// transactions from SQLite on their own connections; waiters share one signal task that each publish completes.
/// <summary>
/// The committed transactions, in position order, for the sessions that send them on (TXS). The last transactions live
/// in an in-memory ring, so a live transaction reaches 1,000 subscribers without 1,000 SQLite reads; older ones are read
/// from the txlog table.
/// </summary>
internal sealed class TxFeed
{
    private readonly ISyncStorage _storage;
    private readonly Lock _gate = new();
    private readonly StoredTx?[] _ring;
    private readonly long _ringMaxBytes;
    private int _ringStart;
    private int _ringCount;
    private long _ringBytes;
    private ulong _head;
    private ulong _retainedFrom;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="ringCapacity">How many of the latest transactions are kept in memory.</param>
    /// <param name="ringMaxBytes">The ring's byte budget for encoded ops; the oldest entries leave first.</param>
    public TxFeed(ISyncStorage storage, int ringCapacity = 4096, long ringMaxBytes = 64L * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentOutOfRangeException.ThrowIfLessThan(ringCapacity, 1);
        _storage = storage;
        _ring = new StoredTx?[ringCapacity];
        _ringMaxBytes = ringMaxBytes;
        (_head, _retainedFrom) = (storage.ReadHead(), storage.ReadRetainedFrom());
    }

    /// <summary>The position of the last committed transaction (0: none yet).</summary>
    public ulong Head => Volatile.Read(ref _head);

    /// <summary>The first position still in the txlog. A client that applied less than <c>RetainedFrom - 1</c> cannot
    /// catch up from the log and needs a full sync.</summary>
    public ulong RetainedFrom => Volatile.Read(ref _retainedFrom);

    /// <summary>True when the transactions after <paramref name="afterPosition"/> are all still in the txlog.</summary>
    public bool CanCatchUpFrom(ulong afterPosition) => afterPosition + 1 >= RetainedFrom;

    /// <summary>Completes when <see cref="Head"/> is greater than <paramref name="afterPosition"/>; no polling.</summary>
    public ValueTask WaitForNewAsync(ulong afterPosition, CancellationToken ct)
    {
        return Head > afterPosition ? ValueTask.CompletedTask
            : ct.IsCancellationRequested ? ValueTask.FromCanceled(ct)
            : WaitSlowAsync(afterPosition, ct);
    }

    /// <summary>
    /// A task that completes once <see cref="Head"/> is greater than <paramref name="afterPosition"/>: a completed one, or
    /// the signal all waiters share, so a thousand sessions waiting for the next commit allocate nothing and none needs
    /// cancelling (to stop waiting, combine it with another task in <see cref="Task.WhenAny(Task[])"/>).
    /// </summary>
    public Task WhenNewAsync(ulong afterPosition)
    {
        if (Head > afterPosition)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            return Head > afterPosition ? Task.CompletedTask : _signal.Task;
        }
    }

    /// <summary>
    /// The committed transactions after <paramref name="afterPosition"/>, in position order, at most
    /// <paramref name="maxTxs"/> and about <paramref name="maxBytes"/> of encoded ops (always at least one transaction
    /// when there is one, however large). Empty when the caller is up to date.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Transactions after <paramref name="afterPosition"/> were pruned
    /// (<see cref="CanCatchUpFrom"/> is false): the client needs a full sync.</exception>
    public IReadOnlyList<StoredTx> Read(ulong afterPosition, int maxTxs, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTxs, 1);
        if (!CanCatchUpFrom(afterPosition))
        {
            throw new ArgumentOutOfRangeException(
                nameof(afterPosition),
                string.Create(CultureInfo.InvariantCulture, $"Transactions after position {afterPosition} were pruned; the txlog starts at {RetainedFrom}"));
        }

        var head = Head;
        var result = new List<StoredTx>();
        long bytes = 0;
        var next = afterPosition + 1;
        while (next <= head && result.Count < maxTxs && bytes < maxBytes)
        {
            var before = result.Count;
            if (!TakeFromRing(next, head, maxTxs, maxBytes, result, ref bytes))
            {
                ReadFromDatabase(next, head, maxTxs, maxBytes, result, ref bytes);
            }

            if (result.Count == before)
            {
                break;
            }

            next = result[^1].Position + 1;
        }

        return result;
    }

    /// <summary>Called by the <see cref="TxWriter"/> after a commit that pruned the log up to (not including)
    /// <paramref name="retainedFrom"/>.</summary>
    internal void Prune(ulong retainedFrom)
    {
        lock (_gate)
        {
            while (_ringCount > 0 && _ring[_ringStart]!.Position < retainedFrom)
            {
                DropOldest();
            }

            Volatile.Write(ref _retainedFrom, retainedFrom);
        }
    }

    /// <summary>Called by the <see cref="TxWriter"/> after a commit, with the new transactions in position order.</summary>
    internal void Publish(IReadOnlyList<StoredTx> committed)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            foreach (var tx in committed)
            {
                if (_ringCount == _ring.Length)
                {
                    DropOldest();
                }

                _ring[(_ringStart + _ringCount) % _ring.Length] = tx;
                _ringCount++;
                _ringBytes += tx.EncodedOps.Length;
                while (_ringBytes > _ringMaxBytes && _ringCount > 1)
                {
                    DropOldest();
                }
            }

            Volatile.Write(ref _head, committed[^1].Position);
            signal = _signal;
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.SetResult();
    }

    private async ValueTask WaitSlowAsync(ulong afterPosition, CancellationToken ct)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (Head > afterPosition)
                {
                    return;
                }

                signal = _signal.Task;
            }

            await signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void DropOldest()
    {
        _ringBytes -= _ring[_ringStart]!.EncodedOps.Length;
        _ring[_ringStart] = null;
        _ringStart = (_ringStart + 1) % _ring.Length;
        _ringCount--;
    }

    // Copies from the ring when it holds position `next`; false when `next` is older than the ring.
    private bool TakeFromRing(ulong next, ulong head, int maxTxs, int maxBytes, List<StoredTx> result, ref long bytes)
    {
        lock (_gate)
        {
            if (_ringCount == 0 || next < _ring[_ringStart]!.Position)
            {
                return false;
            }

            var first = _ring[_ringStart]!.Position;
            for (var index = (int)(next - first); index < _ringCount; index++)
            {
                var tx = _ring[(_ringStart + index) % _ring.Length]!;
                if (tx.Position > head || result.Count >= maxTxs || !Fits(result, bytes, tx, maxBytes))
                {
                    break;
                }

                result.Add(tx);
                bytes += tx.EncodedOps.Length;
            }

            return true;
        }
    }

    private void ReadFromDatabase(ulong next, ulong head, int maxTxs, int maxBytes, List<StoredTx> result, ref long bytes)
    {
        foreach (var tx in _storage.ReadTxs(next, head, maxTxs - result.Count, maxBytes - bytes, takeOversizedFirst: result.Count == 0))
        {
            result.Add(tx);
            bytes += tx.EncodedOps.Length;
        }
    }

    private static bool Fits(List<StoredTx> result, long bytes, StoredTx tx, int maxBytes) =>
        result.Count == 0 || bytes + tx.EncodedOps.Length <= maxBytes;
}
