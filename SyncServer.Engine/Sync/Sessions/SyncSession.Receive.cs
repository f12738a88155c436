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
    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        byte[]? buffer = null;
        var bufferBytes = InitialReceiveBufferBytes;
        var max = _options.MaxMessageBytes;
        long messageNumber = 0;
        try
        {
            while (true)
            {
                var length = 0;
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                Volatile.Write(ref _lastReceivedTimestamp, _time.GetTimestamp());
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

                if (_frameGuard?.IsTooLarge(messageNumber) == true)
                {
                    // Known from the frame header: only the first bytes are read, for the client TX ID in the ERROR.
                    var head = new byte[9];
                    var got = 0;
                    while (got < head.Length && !result.EndOfMessage)
                    {
                        result = await _socket.ReceiveAsync(head.AsMemory(got), CancellationToken.None).ConfigureAwait(false);
                        Volatile.Write(ref _lastReceivedTimestamp, _time.GetTimestamp());
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            Close(WebSocketCloseStatus.NormalClosure, "");
                            return;
                        }

                        got += result.Count;
                    }

                    if (await RefuseTooLargeAsync(PeekClientTxId(head.AsSpan(0, got)), got, result).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                buffer = RentReceiveBuffer(Math.Min(bufferBytes, max));
                var tooLarge = false;
                while (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        if (length == max)
                        {
                            tooLarge = true; // more is coming: at least max + 1 bytes
                            break;
                        }

                        var larger = RentReceiveBuffer((int)Math.Min((long)buffer.Length * 2, max));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ReturnBuffer(ref buffer);
                        buffer = larger;
                    }

                    // Not cancelled by _stop: after our close frame the loop keeps reading until the client's close frame.
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    Volatile.Write(ref _lastReceivedTimestamp, _time.GetTimestamp());
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Close(WebSocketCloseStatus.NormalClosure, "");
                        return;
                    }

                    length += result.Count;
                    if (_frameGuard?.IsTooLarge(messageNumber) == true)
                    {
                        tooLarge = true; // the frame headers declare more than max bytes: refused before they arrive
                        break;
                    }
                }

                bufferBytes = Math.Min(buffer.Length, PooledReceiveBufferMaxBytes);
                if (tooLarge)
                {
                    var clientTxId = PeekClientTxId(buffer.AsSpan(0, Math.Min(length, 9)));
                    ReturnBuffer(ref buffer);
                    if (await RefuseTooLargeAsync(clientTxId, length, result).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                _stats.Received(length);

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Fail(ErrorCode.TextFrame, 0, "text frames are not part of the protocol; every message is one binary frame");
                }
                else
                {
                    await HandleAsync(buffer.AsMemory(0, length), ct).ConfigureAwait(false);
                }

                ReturnBuffer(ref buffer);
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
            ReturnBuffer(ref buffer);
        }

        static byte[] RentReceiveBuffer(int bytes) =>
            bytes <= PooledReceiveBufferMaxBytes ? ArrayPool<byte>.Shared.Rent(bytes) : GC.AllocateUninitializedArray<byte>(bytes);

        static void ReturnBuffer(ref byte[]? rented)
        {
            if (rented is not null)
            {
                if (rented.Length <= PooledReceiveBufferMaxBytes)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                rented = null;
            }
        }
    }

    /// <summary>ERROR MessageTooLarge, then the rest of the message is read and dropped; true when the client's close
    /// frame came.</summary>
    private Task<bool> RefuseTooLargeAsync(ulong clientTxId, int received, ValueWebSocketReceiveResult result)
    {
        _stats.Received(received);
        Fail(ErrorCode.MessageTooLarge, clientTxId, $"message larger than the limit of {_options.MaxMessageBytes} bytes");
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
                Volatile.Write(ref _lastReceivedTimestamp, _time.GetTimestamp());
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
