using System.Globalization;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Engine.Sync.Sessions;

internal sealed partial class SyncSession
{
    // Time provider timestamp of the last frame received; written by the receive loop, read by the watchdog.
    private long _lastReceivedTimestamp;

    /// <summary>HEARTBEAT: answered with the server's time (also before login).</summary>
    private async Task AnswerHeartbeatAsync(CancellationToken ct) =>
        await SendAsync(new HeartbeatMessage(_time.GetUtcNow().ToUnixTimeMilliseconds()), ct).ConfigureAwait(false);

    /// <summary>Closes the session with ERROR HeartbeatTimeout once nothing arrived for <see cref="SyncOptions.HeartbeatTimeout"/>.</summary>
    private async Task WatchdogAsync(CancellationToken ct)
    {
        var timeout = _options.HeartbeatTimeout;
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(timeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 100)), _time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            var silent = _time.GetElapsedTime(Volatile.Read(ref _lastReceivedTimestamp));
            if (silent >= timeout)
            {
                Fail(ErrorCode.HeartbeatTimeout, 0, string.Create(
                    CultureInfo.InvariantCulture, $"nothing received for {silent.TotalSeconds:F0} s (timeout {timeout.TotalSeconds:F0} s)"));
                return;
            }
        }
    }
}
