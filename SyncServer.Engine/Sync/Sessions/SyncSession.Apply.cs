using System.Threading.Channels;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync.Sessions;

internal sealed partial class SyncSession
{
    // Submitted TXs waiting for their commit, in the order received: the ACK loop answers them in that order. Bounded, so
    // a client cannot queue unlimited work; the receive loop waits for room (pipelining up to MaxPendingTxs).
    private readonly Channel<PendingTx> _pendingTxs;

    // ACK before later pushes (docs/protocol.md): the feed head at the submission of each TX whose ACK_TX (and correction)
    // is not queued yet, oldest first. Such a TX commits after that head, so TXs up to the oldest entry's head may be
    // pushed; later ones wait until the ACK loop dequeued it (PushLimit, WaitForAckAsync in .Updates). Enqueued by the
    // receive loop, dequeued by the ACK loop, read by the updates loop and the fan-out. Made at the first APPLY_TX (most
    // sessions of a fleet only read): published with its first entry before that TX is submitted, so a reader that still
    // sees null reads the limit before any TX of this session was submitted, which is as safe as an empty queue.
    private System.Collections.Concurrent.ConcurrentQueue<ulong>? _unackedHeads;
    private TaskCompletionSource? _ackWaiter;

    /// <summary>APPLY_TX: validates the whole TX, hands it to the writer and goes on receiving; the ACK loop answers.</summary>
    private async Task ApplyAsync(ClientTx tx, CancellationToken ct)
    {
        try
        {
            TxValidator.Validate(tx, _clientModel!);
        }
        catch (ProtocolException e)
        {
            Fail(e.Code, tx.ClientTxId, e.Message);
            return;
        }

        if (_unackedHeads is { } unacked)
        {
            unacked.Enqueue(_services.Feed.Head);
        }
        else
        {
            unacked = new System.Collections.Concurrent.ConcurrentQueue<ulong>();
            unacked.Enqueue(_services.Feed.Head);
            Volatile.Write(ref _unackedHeads, unacked);
        }

        // Not cancelled with the session: a TX the writer took may be applied anyway; a resend is then a duplicate.
        var outcome = _services.Writer.SubmitAsync(
            new TxSubmission(_client!.Number, tx, _clientModel!, _filters.IsEmpty ? null : _filters), CancellationToken.None);
        await _pendingTxs.Writer.WriteAsync(new PendingTx(tx.ClientTxId, tx.Ops.Count, outcome), ct).ConfigureAwait(false);
    }

    /// <summary>ACK_TX for each submitted TX once its commit is durable, in the order received; then its corrections.</summary>
    private async Task AckLoopAsync(CancellationToken ct)
    {
        await foreach (var pending in _pendingTxs.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            TxOutcome outcome;
            try
            {
                outcome = await pending.Outcome.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (ObjectFormatException e)
            {
                Fail(ErrorCode.InvalidObject, pending.ClientTxId, e.Message);
                return;
            }
            catch (ProtocolException e)
            {
                Fail(e.Code, pending.ClientTxId, e.Message);
                return;
            }
            catch (DatabaseFullException e)
            {
                Fail(ErrorCode.Internal, pending.ClientTxId, e.Message);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SessionLog.TxFailed(_log, e, RemoteAddress, ClientNumber, pending.ClientTxId);
                Fail(ErrorCode.Internal, pending.ClientTxId, "the transaction could not be applied (internal server error)");
                return;
            }

            if (_options.AckDelayForTests > TimeSpan.Zero)
            {
                await Task.Delay(_options.AckDelayForTests, _time, ct).ConfigureAwait(false);
            }

            if (outcome.Refusal is { } refusal)
            {
                // The one ERROR that keeps the session: the client drops the TX, and the correction shows it what it may see.
                SessionLog.TxRefused(_log, ClientNumber, pending.ClientTxId, refusal.Reason);
                if (!await SendAsync(new ErrorMessage(ErrorCode.PermissionDenied, pending.ClientTxId, refusal.Reason), ct).ConfigureAwait(false))
                {
                    return;
                }

                await SendCorrectionAsync(pending.ClientTxId, outcome.Corrections, ct).ConfigureAwait(false);
                _unackedHeads!.TryDequeue(out _);
                Volatile.Read(ref _ackWaiter)?.TrySetResult();
                continue;
            }

            var status = outcome.Status == TxStatus.Duplicate ? AckStatus.Duplicate : AckStatus.Applied;
            SessionLog.TxApplied(_log, ClientNumber, pending.ClientTxId, outcome.Position, pending.OpCount, status, outcome.PutConflicts);
            if (!await SendAsync(new AckTxMessage(pending.ClientTxId, outcome.Position, status, (uint)outcome.PutConflicts), ct).ConfigureAwait(false))
            {
                return;
            }

            SessionLog.Acked(_log, ClientNumber, pending.ClientTxId, outcome.Position, status);
            await SendCorrectionAsync(pending.ClientTxId, outcome.Corrections, ct).ConfigureAwait(false);

            // ACK and correction are queued: TXs committed after this one may be pushed now.
            _unackedHeads!.TryDequeue(out _);
            Volatile.Read(ref _ackWaiter)?.TrySetResult();
        }
    }

    private async Task SendCorrectionAsync(ulong clientTxId, IReadOnlyList<SyncOp> corrections, CancellationToken ct)
    {
        if (corrections.Count > 0)
        {
            // Position 0: the winning state for the sender, not a log entry (docs/protocol.md).
            var correction = EncodedTx.From(new ServerTx(0, _time.GetUtcNow().ToUnixTimeMilliseconds(), corrections));
            await SendAsync(MessageCodec.EncodeTxs(historic: false, [correction]), ct).ConfigureAwait(false);
            SessionLog.CorrectionSent(_log, ClientNumber, clientTxId, corrections.Count);
        }
    }

    /// <summary>TXS_APPLIED: how far the client has stored what it received (the registry coalesces the writes).</summary>
    private void TxsApplied(ulong position)
    {
        if (position > _services.Feed.Head)
        {
            Fail(ErrorCode.Malformed, 0, $"TXS_APPLIED position {position} is beyond the server's head {_services.Feed.Head}");
            return;
        }

        _services.Clients.SetAppliedPosition(_client!.Number, position);
        _stats.Confirmed(position);
        ConfirmFilterState(position);
    }

    private sealed record PendingTx(ulong ClientTxId, int OpCount, Task<TxOutcome> Outcome);
}
