using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Sync.Sessions;

// Singleton, thread-safe: one loop task reads the feed; sessions park and unpark under _gate, and the loop delivers to
// the parked ones under _gate. Parking hands the session's FeedCursor to the fan-out and unparking or handing back
// returns it, both under _gate, so a session's position is only ever moved by its one owner.
/// <summary>
/// Delivers live TXs to every session that is up to date: one task reads each new batch from the <see cref="TxFeed"/>
/// once (a <see cref="LiveBatch"/>) and hands it to every parked session, which writes it to its socket when that is idle
/// or else queues it (<see cref="SyncSession.TryDeliverLive"/>, <see cref="SessionOutbox.TryDeliver"/>), instead of
/// waking a thousand updates loops and send loops per commit (each updates loop reading the feed itself). A session
/// parks when it has sent everything up to the fan-out's position, handing the fan-out its <see cref="FeedCursor"/>; the
/// fan-out hands it back (wakes its updates loop, which then reads the feed on its own) when its send queue is full or
/// delivering failed, and the session takes itself back when a command arrives or it stops.
/// </summary>
internal sealed partial class LiveFanOut : IDisposable
{
    private readonly TxFeed _feed;
    private readonly SyncOptions _options;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<SyncSession, (FeedCursor Cursor, TaskCompletionSource Released)> _parked = [];
    private readonly CancellationTokenSource _stop = new();
    private ulong _position;
    private int _stopping;
    private Task _loop = Task.CompletedTask;

    public LiveFanOut(TxFeed feed, SyncOptions options, ILogger log)
    {
        _feed = feed;
        _options = options;
        _log = log;
        _position = feed.Head;
    }

    /// <summary>Sessions parked right now.</summary>
    public int ParkedCount
    {
        get
        {
            lock (_gate)
            {
                return _parked.Count;
            }
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops the loop and hands every parked session back to its own updates loop. Only the first call does
    /// anything.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        ReleaseAll();
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>
    /// Parks <paramref name="session"/>, whose updates loop has sent everything up to <paramref name="cursor"/>; from
    /// now on the fan-out owns the cursor and delivers the session's live TXs. Returns a task that completes when the
    /// fan-out hands the session back, or null when it cannot park (the fan-out is at another position, or stopped):
    /// the caller keeps the cursor and waits on the feed.
    /// </summary>
    public Task? TryPark(SyncSession session, FeedCursor cursor)
    {
        lock (_gate)
        {
            if (cursor.Position != _position || _stop.IsCancellationRequested)
            {
                return null;
            }

            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cursor.HandTo(CursorOwner.FanOut);
            _parked.Add(session, (cursor, released));
            return released.Task;
        }
    }

    /// <summary>Takes <paramref name="session"/> back (a command arrived, or it stops); nothing when it is not parked.
    /// After this returns, the fan-out no longer touches the session and its updates loop owns its cursor.</summary>
    public void Unpark(SyncSession session)
    {
        lock (_gate)
        {
            if (_parked.Remove(session, out var parked))
            {
                parked.Cursor.HandTo(CursorOwner.UpdatesLoop);
            }
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var released = new List<TaskCompletionSource>();
        while (true)
        {
            try
            {
                await _feed.WaitForNewAsync(_position, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Deliver(released);
            }
#pragma warning disable CA1031 // the fan-out must keep running; the sessions it failed go back to their own loops
            catch (Exception e)
#pragma warning restore CA1031
            {
                FanOutFailed(_log, e);
                ReleaseAll();
                lock (_gate)
                {
                    _position = _feed.Head;
                }
            }

            foreach (var session in released)
            {
                session.TrySetResult();
            }

            released.Clear();
        }
    }

    // One batch after _position to every parked session; the ones it cannot take go to `released`.
    private void Deliver(List<TaskCompletionSource> released)
    {
        if (!_feed.CanCatchUpFrom(_position))
        {
            // Pruned past the fan-out (only when it fell far behind): everyone parked reads on their own (full sync).
            ReleaseAll();
            lock (_gate)
            {
                _position = _feed.Head;
            }

            return;
        }

        var txs = _feed.Read(_position, _options.BatchMaxTxs, _options.BatchMaxBytes);
        if (txs.Count == 0)
        {
            return;
        }

        var batch = new LiveBatch(txs);

        lock (_gate)
        {
            List<SyncSession>? failed = null;
            foreach (var (session, parked) in _parked)
            {
                if (!TryDeliver(session, batch))
                {
                    (failed ??= []).Add(session);
                    released.Add(parked.Released);
                }
            }

            foreach (var session in failed ?? [])
            {
                _parked.Remove(session, out var parked);
                parked.Cursor.HandTo(CursorOwner.UpdatesLoop);
            }

            _position = txs[^1].Position;
        }
    }

    private bool TryDeliver(SyncSession session, LiveBatch batch)
    {
        try
        {
            return session.TryDeliverLive(batch);
        }
#pragma warning disable CA1031 // one session's failure is its own: its updates loop meets it and closes the session
        catch (Exception e)
#pragma warning restore CA1031
        {
            DeliveryFailed(_log, e);
            return false;
        }
    }

    private void ReleaseAll()
    {
        List<TaskCompletionSource> released;
        lock (_gate)
        {
            released = [.. _parked.Values.Select(p => p.Released)];
            foreach (var parked in _parked.Values)
            {
                parked.Cursor.HandTo(CursorOwner.UpdatesLoop);
            }

            _parked.Clear();
        }

        foreach (var release in released)
        {
            release.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live fan-out could not deliver to a session; it reads the feed on its own")]
    private static partial void DeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live fan-out failed; the sessions it served read the feed on their own")]
    private static partial void FanOutFailed(ILogger logger, Exception exception);
}
