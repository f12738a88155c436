using SyncServer.Client.Sync;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client;

/// <summary>Sending the outbox: every queued TX in order, pipelined (up to MaxTxsInFlight before their ACKs).</summary>
public sealed partial class SyncClient
{
    private const int UploadBatch = 256;

    private async Task UploadLoopAsync(SyncConnection connection)
    {
        var token = connection.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var grew = _outboxGrew.WaitAsync(token);
                var changed = _outboxChanged.WaitAsync(token);
                var room = _options.MaxTxsInFlight - connection.InFlight;
                if (room <= 0)
                {
                    await changed.ConfigureAwait(false);
                    continue;
                }

                var messages = PrepareUpload(connection.LastSentTxId, Math.Min(room, UploadBatch));
                if (messages.Count == 0)
                {
                    await grew.ConfigureAwait(false);
                    continue;
                }

                foreach (var (txId, message) in messages)
                {
                    if (message is not null)
                    {
                        await connection.SendAsync(message).ConfigureAwait(false);
                        connection.TxSent();
                    }

                    connection.LastSentTxId = txId;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a failed send or store error ends the connection, which is then retried
        catch (Exception e)
#pragma warning restore CA1031
        {
            connection.Abort($"upload failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The next queued TXs as APPLY_TX messages in global IDs (recording new ID pairs in one local transaction).
    /// A TX that cannot be translated (its data is broken) is dropped and reported; its message is null.</summary>
    private List<(ulong TxId, byte[]? Message)> PrepareUpload(ulong afterTxId, int limit)
    {
        var result = new List<(ulong, byte[]?)>();
        var rejected = new List<TxRejectedEventArgs>();
        lock (_gate)
        {
            ThrowIfDisposed();
            var batch = _store.ReadOutbox(afterTxId, limit);
            if (batch.Count == 0)
            {
                return result;
            }

            _store.Begin();
            try
            {
                foreach (var (txId, ops) in batch)
                {
                    try
                    {
                        var wire = DecodeOps(ops).Select(_ids.ToWire).ToList();
                        result.Add((txId, MessageCodec.Encode(new ApplyTxMessage(new ClientTx(txId, wire)))));
                    }
                    catch (Exception e) when (e is ObjectFormatException or ProtocolException)
                    {
                        _store.DeleteOutboxTx(txId);
                        result.Add((txId, null));
                        rejected.Add(new TxRejectedEventArgs(txId, ErrorCode.InvalidObject, e.Message));
                    }
                }

                _store.Commit();
            }
            catch
            {
                _store.Rollback();
                throw;
            }

            foreach (var reject in rejected)
            {
                _pending.Remove(reject.ClientTxId);
            }
        }

        foreach (var reject in rejected)
        {
            _outboxChanged.Set();
            Raise(TxRejected, reject);
        }

        return result;
    }
}
