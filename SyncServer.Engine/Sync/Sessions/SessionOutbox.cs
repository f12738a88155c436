using System.Net.WebSockets;
using System.Threading.Channels;

namespace SyncServer.Engine.Sync.Sessions;

// One per connection, thread-safe; the only writer of the session's socket. Ordering invariant: messages reach the
// socket whole, one at a time, in the order the outbox accepted them (a queued message when it enters the send queue, a
// direct one when TryWriteNow, holding _write, finds the queue empty); the final message given to Close (if any), then
// the close frame, are the last things written. Close accepts nothing more and drops what is still queued, except what
// the send loop takes before it sees the close. Who writes when: only a holder of _write — the send loop (RunAsync)
// while it takes queued messages and writes them; TryWriteNow (any thread, never waiting) when it gets _write at once
// and the queue is empty, keeping it until its write completed (in the background if the socket cannot take the message
// at once); and, after Close, the close handshake, which waits for _write at most the close timeout (else it drops the
// connection) and keeps it. Bounds: the queue holds at most `capacity` messages and, unless it is empty, `maxBytes`
// bytes; every write records when it started (WriteStalledFor), so the session's watchdog can drop a client that
// stopped reading (which also ends a write that never would).
/// <summary>
/// A session's outgoing messages: the bounded send queue its loops write to (a slow client fills only its own queue),
/// the direct write of the live fan-out (no send-loop wake-up per TX and subscriber), and the close handshake (the final
/// ERROR or refused LOGIN_RESULT, then the close frame).
/// </summary>
/// <remarks>Not disposable: its one disposable, the write lock, never allocates a wait handle (only its async waits are
/// used), and a direct write an abort failed may still release it after the session ended.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "see remarks: the semaphore holds no wait handle")]
internal sealed class SessionOutbox
{
    private const int MaxCloseDescriptionBytes = 120;

    private readonly WebSocket _socket;
    private readonly TimeSpan _closeTimeout;
    private readonly TimeProvider _time;
    private readonly Action<int> _sent;
    private readonly Action<Exception> _broken;
    private readonly int _maxBytes;
    private readonly Channel<byte[]> _queue;
    // Held while a message is taken from _queue and written to the socket: with it held and the queue empty, every
    // message queued so far has been written, so a new one may be written directly without changing the order.
    private readonly SemaphoreSlim _write = new(1, 1);
    // Bytes of the messages in _queue: added before a message enters, taken out when the send loop takes it.
    private long _queuedBytes;
    // A waiter of QueueAsync for byte room; completed and cleared by the send loop when it took bytes out, and by Close.
    private TaskCompletionSource? _room;
    // The time provider's timestamp when the write in flight started; 0 while nothing is being written.
    private long _writeStarted;
    private int _closing;
    private byte[]? _finalMessage;

    /// <param name="socket">The session's socket.</param>
    /// <param name="capacity">How many messages the send queue holds; then <see cref="QueueAsync"/> waits.</param>
    /// <param name="maxBytes">How many bytes the send queue holds; then <see cref="QueueAsync"/> waits (a message
    /// larger than this still goes when the queue is empty).</param>
    /// <param name="closeTimeout">How long the close handshake waits for a direct write in flight, and for the close
    /// frame to go out.</param>
    /// <param name="time">The clock of <see cref="WriteStalledFor"/> and the close timeout.</param>
    /// <param name="sent">Called with the size of every message once it is written (on the writing thread).</param>
    /// <param name="broken">Called when a write failed outside the close handshake: the connection is broken and
    /// the session must drop it. Never called from <see cref="TryWriteNow"/> itself.</param>
    public SessionOutbox(
        WebSocket socket, int capacity, int maxBytes, TimeSpan closeTimeout, TimeProvider time, Action<int> sent, Action<Exception> broken)
    {
        _socket = socket;
        _maxBytes = maxBytes;
        _closeTimeout = closeTimeout;
        _time = time;
        _sent = sent;
        _broken = broken;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>True once <see cref="Close"/> was called: nothing more is accepted.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>The status the close frame carries (set by <see cref="Close"/>).</summary>
    public WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    /// <summary>The description the close frame carries, cut to what fits in it.</summary>
    public string CloseDescription { get; private set; } = "";

    /// <summary>Bytes waiting in the send queue.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>How long the write in flight has been going on at <paramref name="now"/> (a timestamp of the time
    /// provider); zero while nothing is being written.</summary>
    public TimeSpan WriteStalledFor(long now)
    {
        var started = Volatile.Read(ref _writeStarted);
        return started == 0 || now < started ? TimeSpan.Zero : _time.GetElapsedTime(started, now);
    }

    /// <summary>Queues <paramref name="message"/>, waiting for room in messages and bytes; false when closing (the
    /// message is dropped).</summary>
    public async ValueTask<bool> QueueAsync(byte[] message, CancellationToken ct)
    {
        while (!HasRoomFor(message.Length))
        {
            if (IsClosing)
            {
                return false;
            }

            var room = Volatile.Read(ref _room);
            if (room is null)
            {
                var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = Interlocked.CompareExchange(ref _room, fresh, null) ?? fresh;
            }

            // Checked again with the waiter published (a full fence): the send loop either took its bytes out before
            // this check, which then sees them gone, or after it, and then completes the waiter.
            if (!HasRoomFor(message.Length) && !IsClosing)
            {
                await room.Task.WaitAsync(ct).ConfigureAwait(false);
            }
        }

        Interlocked.Add(ref _queuedBytes, message.Length);
        try
        {
            await _queue.Writer.WriteAsync(message, ct).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            Interlocked.Add(ref _queuedBytes, -message.Length);
            return false;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Add(ref _queuedBytes, -message.Length);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="message"/> at once when the socket is idle, else queues it, without waiting: false when the
    /// queue is full (in messages or bytes) or closing. A direct write that fails at once is queued instead: the send
    /// loop then meets the broken socket and reports it. The live fan-out's path: it runs under the fan-out's lock, so it
    /// must not wait or close.
    /// </summary>
    public bool TryDeliver(byte[] message)
    {
        if (TryWriteNow(message))
        {
            return true;
        }

        if (!HasRoomFor(message.Length))
        {
            return false;
        }

        Interlocked.Add(ref _queuedBytes, message.Length);
        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        Interlocked.Add(ref _queuedBytes, -message.Length);
        return false;
    }

    /// <summary>
    /// Writes <paramref name="message"/> to the socket right away when nothing is being written and nothing waits in the
    /// queue; false (nothing written) otherwise, when closing, or when the write failed at once. A write the socket cannot
    /// take at once completes in the background, holding the write lock until it is done. Never waits.
    /// </summary>
    public bool TryWriteNow(byte[] message)
    {
        if (IsClosing || _queue.Reader.Count > 0 || !_write.Wait(0))
        {
            return false;
        }

        ValueTask write;
        try
        {
            // Checked again with the lock held: another loop may have queued a message (an ACK) in between.
            if (_queue.Reader.Count > 0 || IsClosing)
            {
                _write.Release();
                return false;
            }

            Volatile.Write(ref _writeStarted, _time.GetTimestamp());
            write = _socket.SendAsync(message.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            if (write.IsCompleted)
            {
                write.GetAwaiter().GetResult();
                Volatile.Write(ref _writeStarted, 0);
                _sent(message.Length);
                _write.Release();
                return true;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Not reported here: the caller may hold a lock (the fan-out's), and dropping the connection would run the
            // session's loops' continuations on this thread. A message queued instead meets the broken socket in the
            // send loop, which reports it as for any other failed write.
            Volatile.Write(ref _writeStarted, 0);
            _write.Release();
            return false;
        }

        _ = CompleteWriteAsync(write, message.Length);
        return true;
    }

    /// <summary>
    /// Stops accepting messages and has the send loop write <paramref name="finalMessage"/> (if any) and the close frame
    /// with <paramref name="status"/> and <paramref name="description"/>. Thread-safe; only the first call does anything.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string description, byte[]? finalMessage = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _finalMessage = finalMessage;
        CloseStatus = status;
        CloseDescription = Truncate(description);
        _queue.Writer.TryComplete();
        Interlocked.Exchange(ref _room, null)?.TrySetResult();
    }

    /// <summary>
    /// The send loop: writes queued messages in order until <see cref="Close"/> (messages still queued then are dropped),
    /// then the close handshake. Ends without the handshake when a write failed (<c>broken</c> was called). Runs once.
    /// </summary>
    public async Task RunAsync()
    {
        try
        {
            // Close() completes the queue, which ends the wait for the next message. The wait for _write takes no token:
            // a direct write holds it only until its write ends, and the watchdog drops a connection whose write does not.
            var reader = _queue.Reader;
            while (!IsClosing && await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await _write.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    while (!IsClosing && reader.TryRead(out var message))
                    {
                        Interlocked.Add(ref _queuedBytes, -message.Length);
                        if (Volatile.Read(ref _room) is not null)
                        {
                            Interlocked.Exchange(ref _room, null)?.TrySetResult();
                        }

                        await WriteAsync(message).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _write.Release();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!IsClosing)
            {
                _broken(e);
                return;
            }

            // Closing (e.g. aborted): the close handshake finds the socket's state.
        }

        await CloseHandshakeAsync().ConfigureAwait(false);
    }

    private async Task CloseHandshakeAsync()
    {
        try
        {
            // A direct write may still be in flight; a client that stopped reading never lets it finish.
            if (!await _write.WaitAsync(_closeTimeout, CancellationToken.None).ConfigureAwait(false))
            {
                _socket.Abort();
                return;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                if (_finalMessage is { } final)
                {
                    await WriteAsync(final).ConfigureAwait(false);
                }

                using var timeout = new CancellationTokenSource(_closeTimeout, _time);
                await _socket.CloseOutputAsync(CloseStatus, CloseDescription, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Writes one message; the caller holds <see cref="_write"/>.</summary>
    private async ValueTask WriteAsync(byte[] message)
    {
        Volatile.Write(ref _writeStarted, _time.GetTimestamp());
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writeStarted, 0);
        }

        _sent(message.Length);
    }

    private async Task CompleteWriteAsync(ValueTask write, int length)
    {
        try
        {
            await write.ConfigureAwait(false);
            Volatile.Write(ref _writeStarted, 0);
            _sent(length);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Volatile.Write(ref _writeStarted, 0);
            if (IsClosing)
            {
                _socket.Abort(); // the close handshake may wait for this write: let it go at once
            }
            else
            {
                _broken(e);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Room for <paramref name="bytes"/> more in the byte budget (always when the queue is empty).</summary>
    private bool HasRoomFor(int bytes)
    {
        var queued = Interlocked.Read(ref _queuedBytes);
        return queued == 0 || queued + bytes <= _maxBytes;
    }

    private static string Truncate(string description)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(description) <= MaxCloseDescriptionBytes)
        {
            return description;
        }

        // A UTF-8 character has at most 4 bytes: this many characters always fit.
        return description[..(MaxCloseDescriptionBytes / 4)];
    }
}
