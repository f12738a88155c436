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
// owner at a time); one ACK loop awaits submitted TXs in order and queues their ACKs; the server's SessionWatchdog checks
// the deadlines (CheckDeadlines, in .Heartbeat). Fields written after login are written by the receive loop before the other loops read them (published by
// the channel writes that start them). Close() may be called from any loop and from shutdown: the first call wins.
/// <summary>
/// One client connection speaking docs/protocol.md: login, transactions, updates, full sync, heartbeats. Exceptions stay
/// inside the session: it answers ERROR Internal and closes, every other session keeps running.
/// </summary>
internal sealed partial class SyncSession : IDisposable
{
    private const int InitialReceiveBufferBytes = 16 * 1024;
    private const int PooledReceiveBufferMaxBytes = 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly SyncSessionServices _services;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SessionOutbox _outbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionStats _stats;
    private readonly FrameHeaderGuard? _frameGuard;

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
        _pendingTxs = Channel.CreateBounded<PendingTx>(new BoundedChannelOptions(_options.MaxPendingTxs) { SingleReader = true, SingleWriter = true });
        _updateCommands = Channel.CreateBounded<UpdatesCommand>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        _opened = _lastReceivedTimestamp = _time.GetTimestamp();
        _stats = services.Statistics.SessionStarted(remoteAddress);
        _outbox = new SessionOutbox(
            socket, _options.SendQueueCapacity, _options.SendQueueMaxBytes, _options.CloseTimeout, _time, _stats.Sent, OnSocketBroken);
    }

    public string RemoteAddress { get; }

    /// <summary>Completes when the session has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The client's number once logged in; null before.</summary>
    internal uint? LoggedInNumber => _client?.Number;

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

            await send.ConfigureAwait(false);
            // Our close frame is out (or the socket broke): give the client a moment to answer it, then drop the connection.
            if (await Task.WhenAny(receive, Task.Delay(_options.CloseTimeout, _time, CancellationToken.None)).ConfigureAwait(false) != receive)
            {
                Abort();
            }

            await Task.WhenAll(receive, acks, updates).ConfigureAwait(false);
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
    public void Dispose() => _stop.Dispose();

    /// <summary>Queues a message for the send loop; false when the session is closing (the message is dropped).</summary>
    private ValueTask<bool> SendAsync(byte[] message, CancellationToken ct) => _outbox.QueueAsync(message, ct);

    private ValueTask<bool> SendAsync(SyncMessage message, CancellationToken ct) => SendAsync(MessageCodec.Encode(message), ct);

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
        catch (Exception e) when (StorageProblem(e) is { } problem)
        {
            // A full or damaged database: the storage logged it once for the episode; this client gets it in words.
            SessionLog.StorageUnavailable(_log, name, RemoteAddress, ClientNumber, problem);
            Fail(ErrorCode.Internal, 0, problem);
        }
#pragma warning disable CA1031 // a session's failure must never reach the host or other sessions
        catch (Exception e)
#pragma warning restore CA1031
        {
            SessionLog.LoopFailed(_log, e, name, RemoteAddress, ClientNumber);
            Fail(ErrorCode.Internal, 0, "internal server error");
        }
    }

    /// <summary>What to tell a client when <paramref name="e"/> says the database is full or damaged; else null.</summary>
    private static string? StorageProblem(Exception e) => e switch
    {
        Storage.DatabaseFullException => "the server's database is full: writes are refused until an operator frees space",
        Storage.DatabaseDamagedException => "the server's database is damaged: an operator must restore it from a backup",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 11 or 26 } => "the server's database is damaged: an operator must restore it from a backup",
        _ => null,
    };
}
