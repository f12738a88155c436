using System.Net.WebSockets;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Sync;

/// <summary>
/// One WebSocket connection to a server: whole binary messages in and out, sends serialised (a WebSocket allows one send
/// at a time), a receive timeout, and the per-connection upload bookkeeping. One per connection attempt; thread-safe
/// for sending, receiving from one task only.
/// </summary>
internal sealed class SyncConnection(Uri server, ClientWebSocket socket, CancellationTokenSource lifetime) : IDisposable
{
    /// <summary>Largest message accepted from the server.</summary>
    public const int MaxMessageSize = 64 * 1024 * 1024;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _lastSendTicks = Environment.TickCount64;
    private byte[] _receiveBuffer = new byte[64 * 1024];
    private int _inFlight;

    // Set (under the send lock) when our close frame goes out: later sends are dropped, as the socket refuses them.
    private volatile bool _closing;

    public Uri Server { get; } = server;

    /// <summary>Cancelled when the connection ends, for whatever reason.</summary>
    public CancellationToken Token => lifetime.Token;

    public bool LoggedIn { get; set; }

    /// <summary>The highest client TX ID sent (or known to the server) on this connection.</summary>
    public ulong LastSentTxId { get; set; }

    /// <summary>TXs sent on this connection and not ACKed yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Why the connection ended, when something other than the socket decided it.</summary>
    public string? EndReason { get; private set; }

    public List<Task> Workers { get; } = [];

    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastSendTicks));

    public void TxSent() => Interlocked.Increment(ref _inFlight);

    public void TxAcknowledged()
    {
        if (Interlocked.Decrement(ref _inFlight) < 0)
        {
            Interlocked.Exchange(ref _inFlight, 0);
        }
    }

    /// <summary>Ends the connection (its workers and the receive loop stop) with <paramref name="reason"/>.</summary>
    public void Abort(string reason)
    {
        EndReason ??= reason;
        try
        {
            lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Ends the connection politely with <paramref name="reason"/>: our close frame now (nothing is sent after
    /// it), the server's answer ends the receive loop; <see cref="Abort"/> after <paramref name="wait"/> if it does not.
    /// Returns at once.</summary>
    public void Close(string reason, TimeSpan wait)
    {
        EndReason ??= reason;
        _ = CloseThenAbortAsync(reason, wait);
    }

    public Task SendAsync(SyncMessage message) => SendAsync(MessageCodec.Encode(message));

    /// <summary>Sends one message; after our close frame (<see cref="CloseAsync"/>) it is dropped: what was not
    /// acknowledged is sent again on the next connection.</summary>
    public async Task SendAsync(byte[] message)
    {
        await _sendLock.WaitAsync(Token).ConfigureAwait(false);
        try
        {
            if (_closing)
            {
                return;
            }

            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastSendTicks, Environment.TickCount64);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next whole message, or null when the server closed the connection. The bytes are valid until the next
    /// call: they live in the connection's receive buffer, which grows to the largest message and is reused (no new 64 KB
    /// buffer, resize and copy per message).</summary>
    /// <exception cref="TimeoutException">Nothing arrived within <paramref name="timeout"/>.</exception>
    /// <exception cref="ProtocolException">A text message or one larger than <see cref="MaxMessageSize"/>.</exception>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(TimeSpan timeout)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timer.CancelAfter(timeout);
        var buffer = _receiveBuffer;
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageSize)
                    {
                        throw new ProtocolException(ErrorCode.MessageTooLarge, $"a message from the server is larger than {MaxMessageSize} bytes");
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxMessageSize));
                    _receiveBuffer = buffer;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), timer.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    EndReason ??= $"server closed the connection ({socket.CloseStatus} {socket.CloseStatusDescription})";
                    return null;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    throw new ProtocolException(ErrorCode.TextFrame, "the server sent a text message");
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    return buffer.AsMemory(0, length);
                }
            }
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing received from the server for {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Closes politely if the socket is still open, waiting at most a second.</summary>
    public async Task CloseAsync()
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var locked = false;
        try
        {
            // Not while a message is being sent (one send at a time on a WebSocket); a send still waiting for the lock
            // then fails, which ends that worker.
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            locked = true;
            _closing = true;
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            if (locked)
            {
                try
                {
                    _sendLock.Release();
                }
                catch (ObjectDisposedException)
                {
                    // The connection ended (the server answered our close frame) while we closed it from StopAsync.
                }
            }
        }
    }

    public void Dispose() => _sendLock.Dispose();

    private async Task CloseThenAbortAsync(string reason, TimeSpan wait)
    {
        await CloseAsync().ConfigureAwait(false); // safe after the connection ended: it then does nothing
        await Task.Delay(wait).ConfigureAwait(false);
        Abort(reason);
    }
}
