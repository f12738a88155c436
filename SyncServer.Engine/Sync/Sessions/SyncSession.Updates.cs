using System.Threading.Channels;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Engine.Sync.Sessions;

internal sealed partial class SyncSession
{
    // Commands for the updates loop, from login (mode AUTO / AUTO_NO_PUSHES) and from REQUEST_UPDATES / CANCEL_UPDATES.
    private readonly Channel<UpdatesCommand> _updateCommands;

    // How far the client has been sent the feed: the updates loop's, or the fan-out's while parked (FeedCursor).
    private readonly FeedCursor _cursor = new();
    private bool _fullSyncDone;
    // The live wait's pending command wait and the session's stop, kept across waits (WaitForNewTxOrCommandAsync).
    private Task<bool>? _commandArrived;
    private Task? _stopped;

    internal enum UpdatesCommand
    {
        /// <summary>Catch up once, then UPDATES_COMPLETE (AUTO_NO_PUSHES, REQUEST_UPDATES(0)).</summary>
        CatchUpOnce,
        /// <summary>Catch up, UPDATES_COMPLETE, then live TXs (AUTO, REQUEST_UPDATES(1)).</summary>
        Subscribe,
        /// <summary>Stop live TXs (CANCEL_UPDATES); a catch-up in progress finishes.</summary>
        Cancel,
    }

    private async Task QueueUpdatesCommandAsync(UpdatesCommand command, CancellationToken ct)
    {
        await _updateCommands.Writer.WriteAsync(command, ct).ConfigureAwait(false);
        SessionLog.UpdatesCommandQueued(_log, ClientNumber, command);
    }

    /// <summary>
    /// Catch-up, full sync and live pushes for this client, reading the <see cref="TxFeed"/> at its own pace: a slow client
    /// waits for room in its own send queue and simply reads further behind from the log; it never holds up the writer or
    /// other sessions.
    /// </summary>
    private async Task UpdatesLoopAsync(CancellationToken ct)
    {
        var live = false;
        while (!ct.IsCancellationRequested)
        {
            UpdatesCommand command;
            if (!live)
            {
                command = await _updateCommands.Reader.ReadAsync(ct).ConfigureAwait(false);
            }
            else if (_updateCommands.Reader.TryRead(out var next))
            {
                command = next;
            }
            else
            {
                if (await WaitForNewTxOrCommandAsync(ct).ConfigureAwait(false))
                {
                    await SendNewTxsAsync(historic: false, ct).ConfigureAwait(false);
                }

                continue;
            }

            switch (command)
            {
                case UpdatesCommand.Cancel:
                    live = false;
                    break;
                case UpdatesCommand.CatchUpOnce or UpdatesCommand.Subscribe:
                    await CatchUpAsync(ct).ConfigureAwait(false);
                    live = command == UpdatesCommand.Subscribe;
                    break;
            }
        }
    }

    /// <summary>Everything after the client's position (a full sync first if the log cannot serve it), then UPDATES_COMPLETE.</summary>
    private async Task CatchUpAsync(CancellationToken ct)
    {
        var feed = _services.Feed;
        var position = _cursor.Position;
        if ((position == 0 && !_fullSyncDone) || position > feed.Head || !feed.CanCatchUpFrom(position))
        {
            _previousFilters = null; // the full sync sends exactly what this login's filters show
            await FullSyncAsync(ct).ConfigureAwait(false);
        }
        else if (_previousFilters is not null)
        {
            await SendFilterDeltaAsync(position, ct).ConfigureAwait(false);
        }

        ArmFilterState();

        await SendNewTxsAsync(historic: true, ct).ConfigureAwait(false);
        await SendAsync(new UpdatesCompleteMessage(_cursor.Position), ct).ConfigureAwait(false);
        SessionLog.UpdatesComplete(_log, ClientNumber, _cursor.Position);
    }

    /// <summary>True when TXs after the client's position exist; false when a command arrived first.</summary>
    /// <remarks>
    /// An up-to-date session parks with the <see cref="LiveFanOut"/>, which then queues its live TXs directly, so this
    /// loop does not wake per committed TX at all; it wakes when the fan-out hands the session back (its send queue was
    /// full), a command arrives, or the session stops. When it cannot park it waits on the feed's shared signal. The
    /// command wait is kept until a command comes (not cancelled and made anew per wait: a cancelled wait threw an
    /// OperationCanceledException per TX and subscriber, which with 1,000 subscribers took most of the CPU).
    /// </remarks>
    private async Task<bool> WaitForNewTxOrCommandAsync(CancellationToken ct)
    {
        var feed = _services.Feed;
        if (feed.Head > _cursor.Position)
        {
            return true;
        }

        _commandArrived ??= _updateCommands.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
        _stopped ??= Task.Delay(Timeout.Infinite, ct);
        var fanOut = _services.FanOut;
        var newTxs = fanOut.TryPark(this, _cursor) ?? feed.WhenNewAsync(_cursor.Position);
        await Task.WhenAny(newTxs, _commandArrived, _stopped).ConfigureAwait(false);
        fanOut.Unpark(this); // from here on this loop owns _cursor again (nothing to do when the fan-out handed it back)
        ct.ThrowIfCancellationRequested();
        if (_commandArrived.IsCompleted)
        {
            _commandArrived = null; // the loop reads the command; the next wait starts a new one
            return false;
        }

        return true;
    }

    /// <summary>
    /// Called by the <see cref="LiveFanOut"/> (under its lock, owning <see cref="_cursor"/>) while this session is parked
    /// at the position just before <paramref name="batch"/>: writes the TXS to the socket when it is idle, else queues it,
    /// without waiting (<see cref="SessionOutbox.TryDeliver"/>). False when the send queue is full or closed; the cursor is
    /// then unchanged and the updates loop, once handed it back, sends the batch itself.
    /// </summary>
    internal bool TryDeliverLive(LiveBatch batch)
    {
        System.Diagnostics.Debug.Assert(batch.Txs[0].Position == _cursor.Position + 1, "the fan-out delivers the batch right after the session's position");
        if (batch.Txs[^1].Position > PushLimit())
        {
            return false; // an ACK of this client must go first: the updates loop sends the batch after it
        }

        var outgoing = ToTxsMessage(batch.Txs, historic: false, batch);
        if (outgoing is { } message && !_outbox.TryDeliver(message.Bytes))
        {
            return false;
        }

        Advance(CursorOwner.FanOut, batch.Txs, outgoing, historic: false);
        return true;
    }

    /// <summary>Sends every TX after the client's position up to the head, in batches, skipping the client's own.</summary>
    private async Task SendNewTxsAsync(bool historic, CancellationToken ct)
    {
        var feed = _services.Feed;
        while (!ct.IsCancellationRequested)
        {
            if (!feed.CanCatchUpFrom(_cursor.Position))
            {
                // Pruned while this client was behind (only when it lags far): start over with a full sync.
                await FullSyncAsync(ct).ConfigureAwait(false);
                continue;
            }

            var batch = AckedPrefix(feed.Read(_cursor.Position, _options.BatchMaxTxs, _options.BatchMaxBytes));
            if (batch is null)
            {
                return;
            }

            if (batch.Count == 0)
            {
                await WaitForAckAsync(ct).ConfigureAwait(false);
                continue;
            }

            var outgoing = ToTxsMessage(batch, historic);
            if (outgoing is { } message && !await SendAsync(message.Bytes, ct).ConfigureAwait(false))
            {
                return;
            }

            Advance(CursorOwner.UpdatesLoop, batch, outgoing, historic);
        }
    }

    /// <summary>The highest position this client may be sent now: TXs committed after one of its own whose ACK_TX is
    /// not queued yet wait for that ACK (else the client would skip them as overtaken by its queued TX).</summary>
    private ulong PushLimit() => Volatile.Read(ref _unackedHeads) is { } unacked && unacked.TryPeek(out var head) ? head : ulong.MaxValue;

    /// <summary>The part of <paramref name="batch"/> up to <see cref="PushLimit"/> (read after the batch: a TX submitted
    /// later commits after it anyway); null when the batch is empty.</summary>
    private IReadOnlyList<StoredTx>? AckedPrefix(IReadOnlyList<StoredTx> batch)
    {
        if (batch.Count == 0)
        {
            return null;
        }

        var limit = PushLimit();
        if (batch[^1].Position <= limit)
        {
            return batch;
        }

        var allowed = 0;
        while (allowed < batch.Count && batch[allowed].Position <= limit)
        {
            allowed++;
        }

        return batch.Take(allowed).ToArray();
    }

    /// <summary>Waits until the ACK loop queued an ACK that lets the next TX after the client's position go.</summary>
    private Task WaitForAckAsync(CancellationToken ct) => WaitForPushLimitAsync(_cursor.Position + 1, ct);

    /// <summary>Waits until <see cref="PushLimit"/> is at least <paramref name="position"/>.</summary>
    private async Task WaitForPushLimitAsync(ulong position, CancellationToken ct)
    {
        while (true)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _ackWaiter, waiter); // a full fence: the check below sees any dequeue before it
            if (PushLimit() >= position)
            {
                return;
            }

            await waiter.Task.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The TXS message for <paramref name="batch"/> in the client's schema version, without the client's own
    /// TXs; null when nothing of it is for the client. With <paramref name="live"/> (the fan-out's batch), a client that
    /// gets the batch unchanged shares its one encoded message.</summary>
    private OutgoingTxs? ToTxsMessage(IReadOnlyList<StoredTx> batch, bool historic, LiveBatch? live = null)
    {
        var view = _services.Schemas.View(_schemaVersionId);
        var own = _client!.Number;
        if (live is not null && view.IsIdentity && _filters.IsEmpty && _deltaVisible is null && !live.HasTxOf(own))
        {
            return live.Whole;
        }
        var txs = new List<EncodedTx>(batch.Count);
        foreach (var tx in batch)
        {
            if (tx.ClientNumber == own)
            {
                continue; // never echo a client's own TX: it has it, and its ACK carried the position
            }

            var filtered = FilterForClient(tx);
            if (filtered is { Count: 0 })
            {
                continue; // nothing of it for this client: not even its position (the next TXS or UPDATES_COMPLETE moves it)
            }

            if (view.IsIdentity && filtered is null)
            {
                txs.Add(new EncodedTx(tx.Position, tx.CommittedUnixMs, tx.EncodedOps));
                continue;
            }

            var ops = view.IsIdentity ? filtered! : view.Filter(filtered ?? tx.Delivery.Ops);
            if (ops.Count > 0)
            {
                txs.Add(EncodedTx.From(new ServerTx(tx.Position, tx.CommittedUnixMs, ops)));
            }
        }

        return OutgoingTxs.Encode(historic, txs);
    }

    /// <summary>Moves the client's position past <paramref name="batch"/> once its TXS (if any) is queued;
    /// <paramref name="by"/> is the cursor's owner (the caller).</summary>
    private void Advance(CursorOwner by, IReadOnlyList<StoredTx> batch, OutgoingTxs? sent, bool historic)
    {
        if (sent is { } message)
        {
            SessionLog.TxsSent(_log, ClientNumber, historic ? "catch-up" : "live", message.Count, message.First, message.Last, message.Bytes.Length);
            _stats.TxsSent(historic, message.Count);
        }

        _cursor.Advance(by, batch[^1].Position, sent?.Last);
        _stats.Covered(_cursor.LastSent, _cursor.Position);
    }
}
