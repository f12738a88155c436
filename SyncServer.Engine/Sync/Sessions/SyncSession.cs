using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

// One per connection. Concurrency contract: exactly one receive loop reads the socket and handles client messages in
// order (login, APPLY_TX validation and submission, commands); the socket is written only under _socketWrite, by the send
// loop draining a bounded channel (a slow client fills its own channel and only its own loops wait) or by the live
// fan-out sending a TXS directly when the channel is empty (TrySendNow); one updates loop sends catch-up, full sync
// and live TXs; one ACK loop awaits submitted TXs in order and queues their ACKs; one watchdog checks the heartbeat
// timeout. Fields written after login are written by the receive loop before the other loops read them (published by
// the channel writes that start them). Close() may be called from any loop and from shutdown: the first call wins.
/// <summary>
/// One client connection speaking docs/protocol.md: login, transactions, updates, full sync, heartbeats. Exceptions stay
/// inside the session: it answers ERROR Internal and closes, every other session keeps running.
/// </summary>
internal sealed partial class SyncSession : IDisposable
{
    private const int InitialReceiveBufferBytes = 16 * 1024;
    private const int PooledReceiveBufferMaxBytes = 1024 * 1024;
    private const int MaxCloseDescriptionBytes = 120;

    private readonly WebSocket _socket;
    private readonly SyncSessionServices _services;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<byte[]> _sendQueue;
    // Held while a message is taken from _sendQueue and written to the socket: with it held and the queue empty, every
    // message queued so far has been written, so a new one may be written directly without changing the order.
    private readonly SemaphoreSlim _socketWrite = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionStats _stats;
    private readonly FrameHeaderGuard? _frameGuard;
    private int _closing;
    private byte[]? _finalMessage;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = "";

    // The client ID this session claimed in the registry; released as soon as the session starts closing, so the client
    // can log in again the moment it sees our close frame.
    private volatile byte[]? _claimedClientId;

    // Set once by a successful login (receive loop).
    private ClientRecord? _client;
    private int _schemaVersionId;
    private ObjectBoxModel? _clientModel;

    public SyncSession(WebSocket socket, string remoteAddress, SyncSessionServices services, ILogger log, FrameHeaderGuard? frameGuard = null)
    {
        _socket = socket;
        _frameGuard = frameGuard;
        RemoteAddress = remoteAddress;
        _services = services;
        _options = services.Options;
        _time = services.Time;
        _log = log;
        _sendQueue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pendingTxs = Channel.CreateBounded<PendingTx>(new BoundedChannelOptions(_options.MaxPendingTxs) { SingleReader = true, SingleWriter = true });
        _updateCommands = Channel.CreateBounded<UpdatesCommand>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        _lastReceivedTimestamp = _time.GetTimestamp();
        _stats = services.Statistics.SessionStarted(remoteAddress);
    }

    public string RemoteAddress { get; }

    /// <summary>Completes when the session has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The client's number once logged in, else 0 (for logs).</summary>
    private uint ClientNumber => _client?.Number ?? 0;

    /// <summary>Runs the session until the connection ends; never throws.</summary>
    public async Task RunAsync(CancellationToken connectionAborted)
    {
        using var abortRegistration = connectionAborted.Register(static state => ((SyncSession)state!).OnConnectionAborted(), this);
        var registered = _services.Registry.Add(this);
        SessionLog.Connected(_log, RemoteAddress);
        try
        {
            if (!registered)
            {
                Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            }

            var send = Guard(SendLoopAsync, "send");
            var receive = Guard(ReceiveLoopAsync, "receive");
            var acks = Guard(AckLoopAsync, "ACK");
            var updates = Guard(UpdatesLoopAsync, "updates");
            var watchdog = Guard(WatchdogAsync, "heartbeat");

            await send.ConfigureAwait(false);
            // Our close frame is out (or the socket broke): give the client a moment to answer it, then drop the connection.
            if (await Task.WhenAny(receive, Task.Delay(_options.CloseTimeout, _time, CancellationToken.None)).ConfigureAwait(false) != receive)
            {
                Abort();
            }

            await Task.WhenAll(receive, acks, updates, watchdog).ConfigureAwait(false);
        }
        finally
        {
            _services.Registry.Remove(this, _claimedClientId);
            _services.Statistics.SessionEnded(_stats);
            SessionLog.Disconnected(_log, RemoteAddress, ClientNumber, _closeStatus, _closeDescription);
            Dispose();
            _completion.TrySetResult();
        }
    }

    /// <summary>Called by <see cref="RunAsync"/> when the session ended.</summary>
    /// <remarks>The write lock is left to the GC: a direct send the abort failed may still release it afterwards (it
    /// never allocates a wait handle).</remarks>
    public void Dispose() => _stop.Dispose();

    /// <summary>Asks the session to close with <paramref name="status"/> (shutdown: 1001). Thread-safe.</summary>
    public void RequestClose(WebSocketCloseStatus status, string description) => Close(status, description);

    /// <summary>Drops the connection without a close handshake. Thread-safe.</summary>
    public void Abort()
    {
        Close(WebSocketCloseStatus.EndpointUnavailable, "aborted");
        _socket.Abort();
    }

    /// <summary>The host saw the connection go away (the client vanished): counted as a failure unless we were closing.</summary>
    private void OnConnectionAborted()
    {
        if (!IsClosing)
        {
            _stats.Failed(StatFailure.Disconnected, "the connection was aborted");
        }

        Abort();
    }

    /// <summary>
    /// Starts closing: stops the loops, and the send loop sends <paramref name="finalMessage"/> (an ERROR or a refused
    /// LOGIN_RESULT) and the close frame. The first call wins (and returns true); later ones do nothing.
    /// </summary>
    private bool Close(WebSocketCloseStatus status, string description, byte[]? finalMessage = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return false;
        }

        _finalMessage = finalMessage;
        _closeStatus = status;
        _closeDescription = Truncate(description);
        if (_claimedClientId is { } clientId)
        {
            _services.Registry.Release(clientId, this);
        }

        _sendQueue.Writer.TryComplete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended.
        }

        return true;
    }

    private bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Sends ERROR and closes (1008, or 1011 for <see cref="ErrorCode.Internal"/>).</summary>
    private void Fail(ErrorCode code, ulong clientTxId, string text)
    {
        SessionLog.Error(_log, RemoteAddress, ClientNumber, code, clientTxId, text);
        var status = code == ErrorCode.Internal ? WebSocketCloseStatus.InternalServerError : WebSocketCloseStatus.PolicyViolation;
        if (!Close(status, code.ToString(), MessageCodec.Encode(new ErrorMessage(code, clientTxId, text))))
        {
            return; // already closing: this ERROR is not sent
        }

        var error = clientTxId == 0 ? $"ERROR {code}: {text}" : $"ERROR {code} (TX {clientTxId}): {text}";
        switch (code)
        {
            case ErrorCode.HeartbeatTimeout:
                _stats.Failed(StatFailure.Heartbeat, error);
                break;
            case ErrorCode.Internal:
                _stats.Error(handler: true, error);
                break;
            default:
                _stats.Error(handler: false, error);
                break;
        }
    }

    /// <summary>Queues a message for the send loop; false when the session is closing (the message is dropped).</summary>
    private async ValueTask<bool> SendAsync(byte[] message, CancellationToken ct)
    {
        try
        {
            await _sendQueue.Writer.WriteAsync(message, ct).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private ValueTask<bool> SendAsync(SyncMessage message, CancellationToken ct) => SendAsync(MessageCodec.Encode(message), ct);

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            // The wait takes no token: Close() completes the queue before it cancels, which ends the wait just as well
            // (a token would be registered and unregistered once per message).
            var reader = _sendQueue.Reader;
            while (!ct.IsCancellationRequested && await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await _socketWrite.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    while (!ct.IsCancellationRequested && reader.TryRead(out var message))
                    {
                        await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                        _stats.Sent(message.Length);
                    }
                }
                finally
                {
                    _socketWrite.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closing: fall through to the close handshake.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            SessionLog.SocketFailed(_log, RemoteAddress, ClientNumber, e.Message);
            _stats.Failed(StatFailure.Send, e.Message);
            Abort();
            return;
        }

        Close(WebSocketCloseStatus.NormalClosure, "");
        try
        {
            // A direct send of the fan-out may still be in flight; a client that stopped reading never lets it finish.
            if (!await _socketWrite.WaitAsync(_options.CloseTimeout, CancellationToken.None).ConfigureAwait(false))
            {
                _socket.Abort();
                return;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                if (_finalMessage is { } final)
                {
                    await _socket.SendAsync(final, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    _stats.Sent(final.Length);
                }

                using var timeout = new CancellationTokenSource(_options.CloseTimeout, _time);
                await _socket.CloseOutputAsync(_closeStatus, _closeDescription, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    /// <summary>
    /// Writes <paramref name="message"/> to the socket right away when nothing else is being written or waits in the send
    /// queue (the live fan-out's path: no send-loop wake-up per TX and subscriber); false when it must be queued instead.
    /// A write the socket cannot take at once completes in the background, holding the write lock until it is done.
    /// Runs under the <see cref="LiveFanOut"/>'s lock: it must not close the session or wait.
    /// </summary>
    private bool TrySendNow(byte[] message)
    {
        if (IsClosing || _sendQueue.Reader.Count > 0 || !_socketWrite.Wait(0))
        {
            return false;
        }

        ValueTask send;
        try
        {
            // Checked again with the lock held: the receive loop may have queued a message (an ACK) in between.
            if (_sendQueue.Reader.Count > 0 || IsClosing)
            {
                _socketWrite.Release();
                return false;
            }

            send = _socket.SendAsync(message.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            if (send.IsCompleted)
            {
                send.GetAwaiter().GetResult();
                _stats.Sent(message.Length);
                _socketWrite.Release();
                return true;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Not handled here: this runs under the fan-out's lock, and closing the session would run its loops'
            // continuations on this thread. Queued instead, the message meets the broken socket in the send loop, which
            // closes the session as for any other failed send.
            _socketWrite.Release();
            SessionLog.SocketFailed(_log, RemoteAddress, ClientNumber, e.Message);
            return false;
        }

        _ = CompleteSendAsync(send, message.Length);
        return true;
    }

    private async Task CompleteSendAsync(ValueTask send, int length)
    {
        try
        {
            await send.ConfigureAwait(false);
            _stats.Sent(length);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!IsClosing)
            {
                SessionLog.SocketFailed(_log, RemoteAddress, ClientNumber, e.Message);
                _stats.Failed(StatFailure.Send, e.Message);
            }

            Abort();
        }
        finally
        {
            _socketWrite.Release();
        }
    }

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

    private async Task HandleAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var type = data.Length > 0 ? (MessageType)data.Span[0] : 0;
        SessionLog.Received(_log, RemoteAddress, ClientNumber, type, data.Length);
        SyncMessage message;
        try
        {
            message = MessageCodec.Decode(data.Span, _options.MaxOpsPerTx);
        }
        catch (ProtocolException e)
        {
            Fail(e.Code, type == MessageType.ApplyTx ? PeekClientTxId(data.Span) : 0, e.Message);
            return;
        }

        switch (message)
        {
            case HeartbeatMessage:
                await AnswerHeartbeatAsync(ct).ConfigureAwait(false);
                break;
            case HelloMessage when _client is null && _challenge is null && !_loginSeen:
                await SendChallengeAsync(ct).ConfigureAwait(false);
                break;
            case HelloMessage:
                Fail(ErrorCode.UnexpectedMessage, 0, "HELLO is allowed once, before LOGIN");
                break;
            case LoginMessage login when _client is null:
                await LoginAsync(login, ct).ConfigureAwait(false);
                break;
            case LoginMessage:
                Fail(ErrorCode.UnexpectedMessage, 0, "already logged in");
                break;
            case ErrorMessage error:
                SessionLog.ClientError(_log, RemoteAddress, ClientNumber, error.Code, error.Text);
                Close(WebSocketCloseStatus.NormalClosure, "");
                break;
            case LoginResultMessage or AckTxMessage or TxsMessage or UpdatesCompleteMessage
                or FullSyncBeginMessage or FullSyncDataMessage or FullSyncEndMessage or ChallengeMessage:
                Fail(ErrorCode.UnexpectedMessage, 0, $"{message.Type} is sent by the server only");
                break;
            case not null when _client is null:
                Fail(ErrorCode.NotLoggedIn, message is ApplyTxMessage early ? early.Tx.ClientTxId : 0, $"{message.Type} before a successful LOGIN");
                break;
            case ApplyTxMessage apply:
                await ApplyAsync(apply.Tx, ct).ConfigureAwait(false);
                break;
            case TxsAppliedMessage applied:
                TxsApplied(applied.Position);
                break;
            case RequestUpdatesMessage request:
                await QueueUpdatesCommandAsync(request.Subscribe ? UpdatesCommand.Subscribe : UpdatesCommand.CatchUpOnce, ct).ConfigureAwait(false);
                break;
            case CancelUpdatesMessage:
                await QueueUpdatesCommandAsync(UpdatesCommand.Cancel, ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The client TX ID of an APPLY_TX that could not be decoded, when its first bytes are there; else 0.</summary>
    private static ulong PeekClientTxId(ReadOnlySpan<byte> data) =>
        data.Length >= 9 && data[0] == (byte)MessageType.ApplyTx
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data[1..9])
            : 0;

    /// <summary>Runs one loop; an unexpected exception closes this session with ERROR Internal and goes no further.</summary>
    private async Task Guard(Func<CancellationToken, Task> loop, string name)
    {
        try
        {
            await Task.Yield();
            await loop(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
        }
#pragma warning disable CA1031 // a session's failure must never reach the host or other sessions
        catch (Exception e)
#pragma warning restore CA1031
        {
            SessionLog.LoopFailed(_log, e, name, RemoteAddress, ClientNumber);
            Fail(ErrorCode.Internal, 0, "internal server error");
        }
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
