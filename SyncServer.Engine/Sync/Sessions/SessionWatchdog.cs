using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Sync.Sessions;

// One per server, owned by the SyncSessionHost: one loop (a periodic timer) walks the registry's sessions; each check
// reads only what the sessions publish (SyncSession.CheckDeadlines), so the walk takes no lock.
/// <summary>
/// The deadlines of every session — heartbeat, login, send progress, close — checked by one timer for the whole
/// server instead of one per connection (an idle connection then holds no timer). The period is a tenth of the shortest
/// of the heartbeat, login and send timeouts, from 100 ms to 1 s.
/// </summary>
internal sealed class SessionWatchdog : IAsyncDisposable
{
    private readonly SessionRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SessionWatchdog(SessionRegistry registry, SyncOptions options, TimeProvider time, ILogger log)
    {
        _registry = registry;
        _time = time;
        _log = log;
        var shortest = new[] { options.HeartbeatTimeout, options.LoginTimeout, options.SendTimeout }.Min();
        Period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 10, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond));
        _loop = RunAsync();
    }

    /// <summary>How often every session's deadlines are checked.</summary>
    public TimeSpan Period { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var now = _time.GetTimestamp();
                foreach (var session in _registry.Sessions)
                {
                    try
                    {
                        session.CheckDeadlines(now);
                    }
#pragma warning disable CA1031 // one session's failure must not stop the checks of all others
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        SessionLog.WatchdogFailed(_log, e, session.RemoteAddress);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
