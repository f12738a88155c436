using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SyncServer.Engine.Stats;
using SyncServer.Web.Admin;
using SyncServer.Web.Services;

namespace SyncServer.Web.Hubs;

// One instance per call (SignalR); the live group lives in the hub lifetime manager and StatsHubBroadcaster sends to it.
/// <summary>
/// The statistics for dashboards (docs/admin.md, "Statistics hub"): the list of statistics, any series on request, and
/// a <c>tick</c> message once a second to connections that called <see cref="Subscribe"/>. Needs a logged-in admin; a
/// connection is closed when <see cref="AdminSessions"/> ends its user's sessions.
/// </summary>
[Authorize(Policy = AdminPolicies.Admin)]
internal sealed class StatsHub(IAdminService admin, AdminSessions sessions) : Hub
{
    public const string Path = "/hubs/stats";

    /// <summary>The group <see cref="StatsHubBroadcaster"/> sends ticks to.</summary>
    public const string LiveGroup = "live";

    /// <summary>The client method ticks arrive on.</summary>
    public const string TickMethod = "tick";

    /// <summary>The connection's <see cref="AdminSessions"/> subscription, in <c>Context.Items</c>.</summary>
    private static readonly object SessionKey = new();

    /// <summary>Every statistic: name, kind (counter | gauge), unit, description.</summary>
    public IReadOnlyList<StatMetricMessage> GetMetrics() => [.. admin.StatisticMetrics().Select(StatMetricMessage.From)];

    /// <summary>One statistic's series at a resolution (second, minute, hour, day; any case).</summary>
    public StatSeriesMessage GetSeries(string metric, string resolution)
    {
        if (!Enum.TryParse<StatResolution>(resolution, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)
            || int.TryParse(resolution, out _))
        {
            throw new HubException($"Unknown resolution '{resolution}': use second, minute, hour or day");
        }

        try
        {
            return StatSeriesMessage.From(admin.StatisticSeries(metric, parsed));
        }
        catch (ArgumentException e)
        {
            throw new HubException(e.Message);
        }
    }

    /// <summary>From now on this connection receives a <c>tick</c> message once a second.</summary>
    public Task Subscribe() => Groups.AddToGroupAsync(Context.ConnectionId, LiveGroup, Context.ConnectionAborted);

    /// <summary>No more ticks for this connection.</summary>
    public Task Unsubscribe() => Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroup, Context.ConnectionAborted);

    public override Task OnConnectedAsync()
    {
        if (Context.UserIdentifier is { } userId)
        {
            Context.Items[SessionKey] = sessions.Subscribe(userId, Context.Abort);
        }

        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.Remove(SessionKey, out var subscription))
        {
            (subscription as IDisposable)?.Dispose();
        }

        return base.OnDisconnectedAsync(exception);
    }
}
