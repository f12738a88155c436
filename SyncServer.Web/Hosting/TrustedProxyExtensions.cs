using Microsoft.AspNetCore.HttpOverrides;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

internal static class TrustedProxyExtensions
{
    /// <summary>
    /// With <c>trustedProxies</c> configured: a request that comes from one of them takes its client address from
    /// <c>X-Forwarded-For</c> (and its scheme from <c>X-Forwarded-Proto</c>), walking back through the header while the hop
    /// is a trusted proxy too. First in the pipeline, so both ports see it: the sync sessions' remote address (login
    /// throttle, logs) and the admin login's. From anyone else the headers are ignored. Nothing without the setting.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app, ServerSettings settings)
    {
        if (settings.TrustedProxies.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = null, // as many hops as are trusted
        };
        options.KnownProxies.Clear(); // the default trusts loopback
        options.KnownIPNetworks.Clear();
        foreach (var network in settings.TrustedProxies)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
