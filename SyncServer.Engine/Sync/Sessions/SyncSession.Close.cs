using System.Net.WebSockets;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

internal sealed partial class SyncSession
{
    private int _closing;

    // The client ID this session claimed in the registry; released as soon as the session starts closing, so the client
    // can log in again the moment it sees our close frame.
    private volatile byte[]? _claimedClientId;

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
    /// Starts closing: stops the loops, and the outbox sends <paramref name="finalMessage"/> (an ERROR or a refused
    /// LOGIN_RESULT) and the close frame. The first call wins (and returns true); later ones do nothing.
    /// </summary>
    private bool Close(WebSocketCloseStatus status, string description, byte[]? finalMessage = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return false;
        }

        Volatile.Write(ref _closingStarted, _time.GetTimestamp());
        if (_claimedClientId is { } clientId)
        {
            _services.Registry.Release(clientId, this);
        }

        _outbox.Close(status, description, finalMessage);
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

    /// <summary>A write of the outbox failed outside the close handshake: the connection is broken.</summary>
    private void OnSocketBroken(Exception e)
    {
        SessionLog.SocketFailed(_log, RemoteAddress, ClientNumber, e.Message);
        _stats.Failed(StatFailure.Send, e.Message);
        Abort();
    }
}
