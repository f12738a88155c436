using System.Buffers;
using System.Net.WebSockets;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

// The receive loop (see SyncSession.cs for the session's concurrency contract): reads whole messages within the
// size limits and hands each to HandleAsync in order.
internal sealed partial class SyncSession
{
    // Idle connections hold no receive buffer: the loop waits for the next message with a zero-byte receive and rents a
    // buffer (as large as the last message needed, up to PooledReceiveBufferMaxBytes) only while a message is read and
    // handled. With 10,000 idle clients the 16 KB buffer each used to hold was about a third of the server's memory per
    // client. The buffer never grows past MaxMessageBytes: a message found larger (by the frame headers the host's
    // FrameHeaderGuard read, else by its length so far) is refused at once, and its rest is read into a small scratch
    // buffer and dropped. Buffers above PooledReceiveBufferMaxBytes are not pooled: the shared pool would keep them.
    // Before login the limit is MaxMessageBytesBeforeLogin, and only whole messages count as heard from the client (a
    // trickle of partial frames does not keep a connection that never logs in); every buffer's size is taken from the
    // server-wide ReceiveBudget while the session holds it.
    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        byte[]? buffer = null;
        var bufferBytes = InitialReceiveBufferBytes;
        var budget = _services.ReceiveBudget;
        long messageNumber = 0;
        try
        {
            while (true)
            {
                var length = 0;
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                Heard(result);
                var loggedIn = _client is not null;
                var max = loggedIn ? _options.MaxMessageBytes : _options.EffectiveMaxMessageBytesBeforeLogin();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close(WebSocketCloseStatus.NormalClosure, "");
                    return;
                }

                messageNumber++;
                if (IsClosing)
                {
                    // Draining until the client's close frame; nothing more is handled.
                    if (await DrainMessageAsync(result).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (TooLargeByHeader(messageNumber, loggedIn))
                {
                    // Known from the frame header: only the first bytes are read, for the client TX ID in the ERROR.
                    var head = new byte[9];
                    var got = 0;
                    while (got < head.Length && !result.EndOfMessage)
                    {
                        result = await _socket.ReceiveAsync(head.AsMemory(got), CancellationToken.None).ConfigureAwait(false);
                        Heard(result);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            Close(WebSocketCloseStatus.NormalClosure, "");
                            return;
                        }

                        got += result.Count;
                    }

                    if (await RefuseTooLargeAsync(PeekClientTxId(head.AsSpan(0, got)), got, max, result).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                buffer = RentReceiveBuffer(Math.Min(bufferBytes, max), budget);
                var refusal = buffer is null ? Refusal.Busy : Refusal.None;
                while (buffer is not null && !result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        if (length == max)
                        {
                            refusal = Refusal.TooLarge; // more is coming: at least max + 1 bytes
                            break;
                        }

                        var larger = RentReceiveBuffer((int)Math.Min((long)buffer.Length * 2, max), budget);
                        if (larger is null)
                        {
                            refusal = Refusal.Busy;
                            break;
                        }

                        buffer.AsSpan(0, length).CopyTo(larger);
                        ReturnBuffer(ref buffer, budget);
                        buffer = larger;
                    }

                    // Not cancelled by _stop: after our close frame the loop keeps reading until the client's close frame.
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    Heard(result);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Close(WebSocketCloseStatus.NormalClosure, "");
                        return;
                    }

                    length += result.Count;
                    if (TooLargeByHeader(messageNumber, loggedIn))
                    {
                        refusal = Refusal.TooLarge; // the frame headers declare more than max bytes: refused before they arrive
                        break;
                    }
                }

                if (refusal != Refusal.None)
                {
                    var clientTxId = buffer is null ? 0 : PeekClientTxId(buffer.AsSpan(0, Math.Min(length, 9)));
                    ReturnBuffer(ref buffer, budget);
                    var closed = refusal == Refusal.TooLarge
                        ? await RefuseTooLargeAsync(clientTxId, length, max, result).ConfigureAwait(false)
                        : await RefuseBusyAsync(length, result).ConfigureAwait(false);
                    if (closed)
                    {
                        return;
                    }

                    continue;
                }

                bufferBytes = Math.Min(buffer!.Length, PooledReceiveBufferMaxBytes);

                _stats.Received(length);

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Fail(ErrorCode.TextFrame, 0, "text frames are not part of the protocol; every message is one binary frame");
                }
                else
                {
                    await HandleAsync(buffer.AsMemory(0, length), ct).ConfigureAwait(false);
                }

                ReturnBuffer(ref buffer, budget);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Closing while a handler waited (e.g. for room in a full queue); keep nothing.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            if (!IsClosing)
            {
                SessionLog.SocketFailed(_log, RemoteAddress, ClientNumber, e.Message);
                _stats.Failed(StatFailure.Disconnected, e.Message);
            }

            Abort();
        }
        finally
        {
            ReturnBuffer(ref buffer, budget);
        }

        // A buffer of at least `bytes`, its size taken from the budget; null when the budget has not that much left.
        static byte[]? RentReceiveBuffer(int bytes, ReceiveBudget budget)
        {
            var rented = bytes <= PooledReceiveBufferMaxBytes ? ArrayPool<byte>.Shared.Rent(bytes) : GC.AllocateUninitializedArray<byte>(bytes);
            if (budget.TryTake(rented.Length))
            {
                return rented;
            }

            if (rented.Length <= PooledReceiveBufferMaxBytes)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            return null;
        }

        static void ReturnBuffer(ref byte[]? rented, ReceiveBudget budget)
        {
            if (rented is not null)
            {
                budget.Give(rented.Length);
                if (rented.Length <= PooledReceiveBufferMaxBytes)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                rented = null;
            }
        }
    }

    private enum Refusal
    {
        None,
        TooLarge,
        Busy,
    }

    /// <summary>Whether the frame headers already declared message <paramref name="messageNumber"/> over the limit.</summary>
    private bool TooLargeByHeader(long messageNumber, bool loggedIn) =>
        _frameGuard is { } guard && (loggedIn ? guard.IsTooLarge(messageNumber) : guard.IsTooLargeBeforeLogin(messageNumber));

    /// <summary>Credits the heartbeat watchdog for what <paramref name="result"/> brought: any bytes once logged in, only
    /// a whole message before (a connection trickling a partial message does not stay by it).</summary>
    private void Heard(ValueWebSocketReceiveResult result)
    {
        if (result.EndOfMessage || _client is not null)
        {
            Volatile.Write(ref _lastReceivedTimestamp, _time.GetTimestamp());
        }
    }

    /// <summary>ERROR MessageTooLarge, then the rest of the message is read and dropped; true when the client's close
    /// frame came.</summary>
    private Task<bool> RefuseTooLargeAsync(ulong clientTxId, int received, int max, ValueWebSocketReceiveResult result)
    {
        _stats.Received(received);
        var limit = _client is null ? $"the limit of {max} bytes before login" : $"the limit of {max} bytes";
        Fail(ErrorCode.MessageTooLarge, clientTxId, $"message larger than {limit}");
        return DrainMessageAsync(result);
    }

    /// <summary>ERROR ServerBusy (client TX ID 0: the client sends the TX again later), then the rest of the message is
    /// read and dropped; true when the client's close frame came.</summary>
    private Task<bool> RefuseBusyAsync(int received, ValueWebSocketReceiveResult result)
    {
        _stats.Received(received);
        Fail(ErrorCode.ServerBusy, 0, "the server holds as much incoming data as it allows; connect again later");
        return DrainMessageAsync(result);
    }

    /// <summary>Reads the rest of the current message into a small buffer and drops it; true when the client's close frame
    /// came instead.</summary>
    private async Task<bool> DrainMessageAsync(ValueWebSocketReceiveResult result)
    {
        if (result.EndOfMessage)
        {
            return false;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferBytes);
        try
        {
            do
            {
                result = await _socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                Heard(result);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close(WebSocketCloseStatus.NormalClosure, "");
                    return true;
                }
            }
            while (!result.EndOfMessage);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The client TX ID of an APPLY_TX that could not be decoded, when its first bytes are there; else 0.</summary>
    private static ulong PeekClientTxId(ReadOnlySpan<byte> data) =>
        data.Length >= 9 && data[0] == (byte)MessageType.ApplyTx
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data[1..9])
            : 0;
}
