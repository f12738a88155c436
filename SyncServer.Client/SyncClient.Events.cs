namespace SyncServer.Client;

/// <summary>Events. They are raised on the client's background task, never under its lock; a handler that throws is
/// ignored (it must not break syncing). Handlers may read and write through the client.</summary>
public sealed partial class SyncClient
{
    /// <summary>The WebSocket to a server is open (LOGIN follows).</summary>
    public event EventHandler? Connected;

    /// <summary>A connection ended or could not be made; the client reconnects with backoff unless stopped.</summary>
    public event EventHandler<DisconnectedEventArgs>? Disconnected;

    /// <summary>The server accepted the login; queued TXs are being sent.</summary>
    public event EventHandler? LoggedIn;

    /// <summary>The server refused the login.</summary>
    public event EventHandler<LoginFailedEventArgs>? LoginFailed;

    /// <summary>A catch-up (or full sync) finished: the local data is as new as the server's head was then.</summary>
    public event EventHandler? UpdatesCompleted;

    /// <summary>Data from the server changed local objects of one entity.</summary>
    public event EventHandler<DataChangedEventArgs>? DataChanged;

    /// <summary>The server refused a queued TX; it was dropped from the outbox (see <see cref="TxRejectedEventArgs"/>).</summary>
    public event EventHandler<TxRejectedEventArgs>? TxRejected;

    /// <summary>The server ACKed a queued TX (it is durable there).</summary>
    public event EventHandler<ulong>? TxAcknowledged;

    /// <summary><see cref="State"/> changed.</summary>
    public event EventHandler<SyncState>? StateChanged;

    private void SetState(SyncState state)
    {
        if (_state == state || (_state is SyncState.Stopped or SyncState.Dead && state is not (SyncState.Stopped or SyncState.Dead)))
        {
            return;
        }

        _state = state;
        Raise(StateChanged, state);
    }

    private void Raise(EventHandler? handler)
    {
        try
        {
            handler?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // an app's handler must not break the sync loop
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // an app's handler must not break the sync loop
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
