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
// order (login, APPLY_TX validation and submission, commands); the socket is written only by the SessionOutbox (its send
// loop draining a bounded queue, the live fan-out's direct write, the close handshake: its ordering invariant is stated
// there); one updates loop sends catch-up, full sync and live TXs, moving the FeedCursor it shares with the fan-out (one
// owner at a time); one ACK loop awaits submitted TXs in order and queues their ACKs; one watchdog checks the heartbeat
// timeout. Fields written after login are written by the receive loop before the other loops read them (published by
// the channel writes that start them). Close() may be called from any loop and from shutdown: the first call wins.
/// <summary>
/// One client connection speaking docs/protocol.md: login, transactions, updates, full sync, heartbeats. Exceptions stay
/// inside the session: it answers ERROR Internal and closes, every other session keeps running.
/// </summary>
internal sealed partial class SyncSession : IDisposable
{
    private const int InitialReceiveBufferBytes = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly SyncSessionServices _services;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SessionOutbox _outbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionStats _stats;

    // Set once by a successful login (receive loop).
    private ClientRecord? _client;
    private int _schemaVersionId;
    private ObjectBoxModel? _clientModel;

    public SyncSession(WebSocket socket, string remoteAddress, SyncSessionServices services, ILogger log)
    {
        _socket = socket;
        RemoteAddress = remoteAddress;
        _services = services;
        _options = services.Options;
        _time = services.Time;
        _log = log;
        _pendingTxs = Channel.CreateBounded<PendingTx>(new BoundedChannelOptions(_options.MaxPendingTxs) { SingleReader = true, SingleWriter = true });
        _updateCommands = Channel.CreateBounded<UpdatesCommand>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        _lastReceivedTimestamp = _time.GetTimestamp();
        _stats = services.Statistics.SessionStarted(remoteAddress);
        _outbox = new SessionOutbox(socket, _options.SendQueueCapacity, _options.CloseTimeout, _time, _stats.Sent, OnSocketBroken);
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

            var send = Guard(_ => _outbox.RunAsync(), "send");
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
            SessionLog.Disconnected(_log, RemoteAddress, ClientNumber, _outbox.CloseStatus, _outbox.CloseDescription);
            Dispose();
            _completion.TrySetResult();
        }
    }

    /// <summary>Called by <see cref="RunAsync"/> when the session ended.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _outbox.Dispose();
    }

    /// <summary>Queues a message for the send loop; false when the session is closing (the message is dropped).</summary>
    private ValueTask<bool> SendAsync(byte[] message, CancellationToken ct) => _outbox.QueueAsync(message, ct);

    private ValueTask<bool> SendAsync(SyncMessage message, CancellationToken ct) => SendAsync(MessageCodec.Encode(message), ct);

    // Idle connections hold no receive buffer: the loop waits for the next message with a zero-byte receive and rents a
    // buffer (as large as the last message needed) only while a message is read and handled. With 10,000 idle clients the
    // 16 KB buffer each used to hold was about a third of the server's memory per client.
    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        byte[]? buffer = null;
        var bufferBytes = InitialReceiveBufferBytes;
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

                buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
                while (!result.EndOfMessage && length <= _options.MaxMessageBytes)
                {
                    if (length == buffer.Length)
                    {
                        if (length > _options.MaxMessageBytes)
                        {
                            break;
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, _options.MaxMessageBytes + 1L));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
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
                }

                _stats.Received(length);
                bufferBytes = buffer.Length;
                if (IsClosing)
                {
                    ReturnBuffer(ref buffer);
                    continue; // draining until the client's close frame
                }

                if (length > _options.MaxMessageBytes)
                {
                    Fail(ErrorCode.MessageTooLarge, PeekClientTxId(buffer.AsSpan(0, Math.Min(length, 9))),
                        $"message larger than the limit of {_options.MaxMessageBytes} bytes");
                }
                else if (result.MessageType == WebSocketMessageType.Text)
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

        static void ReturnBuffer(ref byte[]? rented)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
                rented = null;
            }
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
}
