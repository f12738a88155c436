using Microsoft.AspNetCore.Http.Features;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

internal static class SyncEndpointExtensions
{
    /// <summary>
    /// Everything that arrives on the sync port is handled here and never reaches the admin UI: the branch is chosen by
    /// the local port the connection came in on, not by the (client-controlled) Host header. WebSocket upgrades become
    /// sync sessions (docs/protocol.md); a plain GET of / gets a short text answer.
    /// </summary>
    public static WebApplication MapSyncEndpoint(this WebApplication app, BindAddress bind)
    {
        app.MapWhen(context => context.Connection.LocalPort == bind.Port, sync =>
        {
            // Every upgraded connection's stream goes through a FrameHeaderGuard, so a message over the size limit is
            // refused from its frame header instead of being buffered first (docs/protocol.md).
            sync.Use((context, next) =>
            {
                if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
                {
                    var guard = context.RequestServices.GetRequiredService<SyncSessionHost>().NewFrameHeaderGuard();
                    context.Features.Set<IHttpUpgradeFeature>(new GuardedUpgradeFeature(upgrade, guard));
                    context.Items[typeof(FrameHeaderGuard)] = guard;
                }

                return next(context);
            });
            // No WebSocket keep-alive pings: the protocol has its own heartbeat (HEARTBEAT, 90 s timeout).
            sync.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            sync.Run(async context =>
            {
                if (context.WebSockets.IsWebSocketRequest)
                {
                    await AcceptSessionAsync(context);
                    return;
                }

                if (context.Request.Path != "/")
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(
                    $"SyncServer {ServerInfo.Version} sync endpoint. Sync clients connect here over WebSocket ({bind.Url}).\n",
                    context.RequestAborted);
            });
        });
        return app;
    }

    private static async Task AcceptSessionAsync(HttpContext context)
    {
        var sessions = context.RequestServices.GetRequiredService<SyncSessionHost>();
        // After X-Forwarded-For from a trusted proxy (UseTrustedProxies) the address is the client's, often without a port.
        var connection = context.Connection;
        var remote = connection.RemotePort == 0 ? $"{connection.RemoteIpAddress}" : $"{connection.RemoteIpAddress}:{connection.RemotePort}";
        if (!sessions.IsAccepting || !sessions.TryAdmit(remote))
        {
            // Shutting down, or Sync.MaxConnections connections are open: refused before the upgrade.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await sessions.RunAsync(socket, remote, context.RequestAborted, context.Items[typeof(FrameHeaderGuard)] as FrameHeaderGuard);
        }
        finally
        {
            sessions.Leave();
        }
    }
}
