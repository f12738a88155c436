using System.Globalization;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

// Deadlines, checked by the server's one SessionWatchdog (any thread; reads what the loops publish with Volatile).
internal sealed partial class SyncSession
{
    // Time provider timestamps: when the connection opened; when the client was last heard from (a whole message, or any
    // bytes once logged in: written by the receive loop); when Close was first called (0 before).
    private readonly long _opened;
    private long _lastReceivedTimestamp;
    private long _closingStarted;

    /// <summary>HEARTBEAT: answered with the server's time (also before login).</summary>
    private async Task AnswerHeartbeatAsync(CancellationToken ct) =>
        await SendAsync(new HeartbeatMessage(_time.GetUtcNow().ToUnixTimeMilliseconds()), ct).ConfigureAwait(false);

    /// <summary>
    /// Applies the session's deadlines at <paramref name="now"/> (a time provider timestamp): a session closing for longer
    /// than twice <see cref="SyncOptions.CloseTimeout"/> (its last write and the close handshake had one each) is
    /// dropped; a socket that has accepted nothing of a message for <see cref="SyncOptions.SendTimeout"/> is dropped
    /// (the client stopped reading); no login within <see cref="SyncOptions.LoginTimeout"/> is ERROR LoginTimeout;
    /// nothing heard for <see cref="SyncOptions.HeartbeatTimeout"/> is ERROR HeartbeatTimeout. Thread-safe.
    /// </summary>
    internal void CheckDeadlines(long now)
    {
        if (IsClosing)
        {
            var closing = Volatile.Read(ref _closingStarted);
            if (closing != 0 && now > closing && _time.GetElapsedTime(closing, now) >= 2 * _options.CloseTimeout)
            {
                _socket.Abort();
            }

            return;
        }

        var stalled = _outbox.WriteStalledFor(now);
        if (stalled >= _options.SendTimeout)
        {
            var text = string.Create(CultureInfo.InvariantCulture,
                $"the client accepted nothing for {stalled.TotalSeconds:F0} s (send timeout {_options.SendTimeout.TotalSeconds:F0} s, {_outbox.QueuedBytes} bytes queued)");
            SessionLog.Evicted(_log, RemoteAddress, ClientNumber, text);
            _stats.Failed(StatFailure.Stalled, text);
            Abort();
            return;
        }

        if (_client is null && Elapsed(_opened) is var waited && waited >= _options.LoginTimeout)
        {
            Fail(ErrorCode.LoginTimeout, 0, string.Create(
                CultureInfo.InvariantCulture, $"no successful LOGIN within {waited.TotalSeconds:F0} s (login timeout {_options.LoginTimeout.TotalSeconds:F0} s)"));
            return;
        }

        var silent = Elapsed(Volatile.Read(ref _lastReceivedTimestamp));
        if (silent >= _options.HeartbeatTimeout)
        {
            Fail(ErrorCode.HeartbeatTimeout, 0, string.Create(
                CultureInfo.InvariantCulture, $"nothing received for {silent.TotalSeconds:F0} s (timeout {_options.HeartbeatTimeout.TotalSeconds:F0} s)"));
        }

        TimeSpan Elapsed(long since) => now > since ? _time.GetElapsedTime(since, now) : TimeSpan.Zero;
    }
}
