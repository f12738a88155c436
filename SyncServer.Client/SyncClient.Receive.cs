using SyncServer.Client.Clock;
using SyncServer.Client.Store;
using SyncServer.Client.Sync;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client;

/// <summary>Handling what the server sends: login result, ACKs, TXs, full sync, errors.</summary>
public sealed partial class SyncClient
{
    /// <returns>Why the connection ended.</returns>
    private async Task<string> ReceiveLoopAsync(SyncConnection connection)
    {
        while (true)
        {
            var bytes = await connection.ReceiveAsync(_options.ReceiveTimeout).ConfigureAwait(false);
            if (bytes is null)
            {
                return connection.EndReason ?? "server closed the connection";
            }

            switch (MessageCodec.Decode(bytes.Value.Span))
            {
                case LoginResultMessage result:
                    if (!OnLoginResult(connection, result))
                    {
                        return $"login refused: {result.Code} {result.Text}";
                    }

                    break;
                case AckTxMessage ack:
                    OnAck(connection, ack);
                    break;
                case TxsMessage txs:
                    await OnTxsAsync(connection, txs).ConfigureAwait(false);
                    break;
                case UpdatesCompleteMessage complete:
                    await OnUpdatesCompleteAsync(connection, complete).ConfigureAwait(false);
                    break;
                case FullSyncBeginMessage begin:
                    OnFullSyncBegin(begin);
                    break;
                case FullSyncDataMessage data:
                    OnFullSyncData(data);
                    break;
                case FullSyncEndMessage end:
                    await OnFullSyncEndAsync(connection, end).ConfigureAwait(false);
                    break;
                case HeartbeatMessage:
                    break;
                case ErrorMessage error:
                    OnError(connection, error);
                    if (error.Code == ErrorCode.PermissionDenied)
                    {
                        break; // the only ERROR after which the session goes on: a correction follows
                    }

                    return $"server error {error.Code}: {error.Text}";
                case var other:
                    throw new ProtocolException(ErrorCode.UnexpectedMessage, $"the server sent {other.Type}, which only clients send");
            }
        }
    }

    private bool OnLoginResult(SyncConnection connection, LoginResultMessage result)
    {
        if (result.Code != LoginResultCode.Ok)
        {
            if (result.Code == LoginResultCode.BadVersion)
            {
                SetState(SyncState.Dead);
            }

            Raise(LoginFailed, new LoginFailedEventArgs(result.Code, result.Text));
            return false;
        }

        lock (_gate)
        {
            _store.Begin();
            try
            {
                if (_ids.ClientNumber != result.ClientNumber)
                {
                    _store.SetMeta(MetaKeys.ClientNumber, result.ClientNumber);
                }

                _store.Commit();
                _ids.ClientNumber = result.ClientNumber;
            }
            catch
            {
                _store.Rollback();
                throw;
            }

            if (_clock.Observe((ulong)Math.Max(0, result.ServerTimeUnixMs) << HybridLogicalClock.CounterBits))
            {
                _store.SetMeta(MetaKeys.Clock, _clock.Last);
            }
        }

        connection.LoggedIn = true;
        // Every queued TX is sent, also those up to LastClientTxId: the server applied them already (their ACK was lost)
        // and answers each with a duplicate ACK and a correction, the current state of what it changed. Dropping them
        // instead would keep local changes that lost a conflict on the server.
        connection.LastSentTxId = 0;
        _outboxChanged.Set();
        SetState(SyncState.LoggedIn);
        Raise(LoggedIn);
        connection.Workers.Add(Task.Run(() => UploadLoopAsync(connection)));
        connection.Workers.Add(Task.Run(() => HeartbeatLoopAsync(connection)));
        return true;
    }

    private void OnAck(SyncConnection connection, AckTxMessage ack)
    {
        lock (_gate)
        {
            _store.DeleteOutboxTx(ack.ClientTxId);
            _pending.Acknowledge(ack.ClientTxId, ack.Position);
        }

        connection.TxAcknowledged();
        _outboxChanged.Set();
        Raise(TxAcknowledged, ack.ClientTxId);
    }

    private async Task OnTxsAsync(SyncConnection connection, TxsMessage txs)
    {
        var changes = new ChangeSet();
        ulong position, newPosition;
        lock (_gate)
        {
            ThrowIfDisposed();
            position = newPosition = _store.GetMeta(MetaKeys.Position);
            var applied = position;
            InLocalTransaction(() =>
            {
                foreach (var tx in txs.Txs)
                {
                    if (tx.Position != 0 && tx.Position <= applied)
                    {
                        continue; // applied before (a resend after a reconnect)
                    }

                    ApplyOps(tx.DecodeOps(), correction: tx.Position == 0, changes, seen: null);
                    applied = Math.Max(applied, tx.Position);
                }

                if (applied != position)
                {
                    _store.SetMeta(MetaKeys.Position, applied);
                    _pending.ForgetAckedUpTo(applied);
                }
            });
            newPosition = applied;
        }

        RaiseChanges(changes);
        if (newPosition != position)
        {
            await connection.SendAsync(new TxsAppliedMessage(newPosition)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The catch-up reached <c>complete.Position</c>: every TX up to it that is not this client's own has been received and
    /// applied (they came before this message), and the client's own TXs are in its store already. So the position moves
    /// there, and a client that only writes does not fall behind its own TXs (which would mean a full sync at every login
    /// while its position is 0, or once the log is pruned past it). Confirmed with TXS_APPLIED even when the position
    /// did not move: the server then knows the client applied everything before it (docs/protocol.md, a filter change).
    /// </summary>
    private async Task OnUpdatesCompleteAsync(SyncConnection connection, UpdatesCompleteMessage complete)
    {
        ulong position;
        lock (_gate)
        {
            ThrowIfDisposed();
            position = _store.GetMeta(MetaKeys.Position);
            if (complete.Position > position)
            {
                _store.Begin();
                _store.SetMeta(MetaKeys.Position, complete.Position);
                _store.Commit();
                position = complete.Position;
            }
        }

        await connection.SendAsync(new TxsAppliedMessage(position)).ConfigureAwait(false);

        Raise(UpdatesCompleted);
    }

    /// <summary>An ERROR naming a queued TX drops it from the outbox. For <see cref="ErrorCode.PermissionDenied"/> the
    /// session goes on: the TX no longer counts as in flight, and the correction TXS that follows (position 0) puts the
    /// server's state of what it touched in place of the local change.</summary>
    private void OnError(SyncConnection connection, ErrorMessage error)
    {
        if (error.ClientTxId == 0)
        {
            return;
        }

        bool queued;
        lock (_gate)
        {
            _store.DeleteOutboxTx(error.ClientTxId);
            queued = _pending.Remove(error.ClientTxId);
        }

        if (queued)
        {
            connection.TxAcknowledged();
        }

        _outboxChanged.Set();
        Raise(TxRejected, new TxRejectedEventArgs(error.ClientTxId, error.Code, error.Text));
    }
}
