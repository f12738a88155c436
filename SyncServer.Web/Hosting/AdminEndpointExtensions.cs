using Microsoft.AspNetCore.Diagnostics;
using SyncServer.Web.Admin;
using SyncServer.Web.Components;
using SyncServer.Web.Components.Account;
using SyncServer.Web.Hubs;

namespace SyncServer.Web.Hosting;

internal static class AdminEndpointExtensions
{
    /// <summary>
    /// The admin UI on the admin port: routing, authentication (the fallback policy makes every page, hub and endpoint
    /// require a logged-in admin unless it allows anonymous access: login, setup, static assets), the Blazor pages, the
    /// Identity endpoints, the JSON downloads and the statistics hub. Call after <see cref="SyncEndpointExtensions.MapSyncEndpoint"/>, whose
    /// branch ends every request that came in on the sync port before any of this runs.
    /// </summary>
    public static WebApplication MapAdminUi(this WebApplication app)
    {
        // Host names, origins and security headers first (AdminRequestGuard).
        app.UseAdminRequestGuard(app.Services.GetRequiredService<AdminUiOptions>());

        // A 404 of a page request (unknown URL, used setup URL) shows the app's not-found page, not the browser's bare
        // one. Only that: a 401 of /api, /metrics or a hub, and anything but GET, keep their status and empty body.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode != StatusCodes.Status404NotFound || !HttpMethods.IsGet(context.Request.Method)
                || context.Request.Path.StartsWithSegments("/api"))
            {
                context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            }
        });

        // Explicit, so they run after the sync port's branch (implicit ones would go first in the pipeline).
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapAdminDownloads();
        app.MapHub<StatsHub>(StatsHub.Path);
        return app;
    }
}
