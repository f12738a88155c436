using Microsoft.AspNetCore.SignalR;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Stats;
using SyncServer.Web.Services;

namespace SyncServer.Web.Hubs;

// Singleton (hosted service): one statistics subscription for all hub connections; sends run on the thread pool.
/// <summary>
/// Forwards the engine's once-a-second statistics tick to the stats hub's live group. One subscription however many
/// dashboards are connected; no timer per connection.
/// </summary>
internal sealed class StatsHubBroadcaster(IAdminService admin, IHubContext<StatsHub> hub, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _log = loggers.CreateLogger(LogTags.Http);
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = admin.SubscribeStatistics(tick => _ = SendAsync(tick)); // on the statistics timer: don't block it
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private async Task SendAsync(StatSnapshot tick)
    {
        try
        {
            await hub.Clients.Group(StatsHub.LiveGroup).SendAsync(StatsHub.TickMethod, StatTickMessage.From(tick));
        }
#pragma warning disable CA1031 // a failed send must not become an unobserved task exception; the next tick tries again
        catch (Exception e)
#pragma warning restore CA1031
        {
            HubLog.TickFailed(_log, e.Message);
        }
    }
}
