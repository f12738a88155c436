using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

internal static class SyncEndpointExtensions
{
    /// <summary>
    /// Everything that arrives on the sync port is handled here and never reaches the admin UI: the branch is chosen by
    /// the local port the connection came in on, not by the (client-controlled) Host header.
    /// </summary>
    public static WebApplication MapSyncEndpoint(this WebApplication app, BindAddress bind)
    {
        app.MapWhen(context => context.Connection.LocalPort == bind.Port, sync => sync.Run(async context =>
        {
            if (context.Request.Path != "/")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                $"SyncServer {ServerInfo.Version} sync endpoint. Sync clients connect here over WebSocket ({bind.Url}).\n",
                context.RequestAborted);
        }));
        return app;
    }
}
