using Microsoft.Extensions.Primitives;
using SyncServer.Web.Admin;

namespace SyncServer.Web.Hosting;

/// <summary>
/// The first step of every admin-port request (docs/admin.md "Host names and origins"): a Host header that is not one of
/// <see cref="AdminUiOptions.AllowedHosts"/> gets 400 (so a DNS-rebound name never reaches a page, and no redirect echoes
/// a foreign host); a WebSocket or negotiate request of <c>/_blazor</c> or <c>/hubs/*</c> from another origin gets 403;
/// every answer carries <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: same-origin</c>, and under https
/// <c>Strict-Transport-Security</c> (Blazor adds <c>Content-Security-Policy: frame-ancestors 'self'</c> to its pages).
/// </summary>
internal static class AdminRequestGuard
{
    /// <summary>One year, the usual HSTS lifetime.</summary>
    public const string HstsValue = "max-age=31536000";

    public static IApplicationBuilder UseAdminRequestGuard(this IApplicationBuilder app, AdminUiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var anyHost = options.AllowedHosts.Contains("*");
        StringSegment[] patterns = [.. options.AllowedHosts.Select(h => new StringSegment(h))];
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (!anyHost && !HostString.MatchesAny(request.Host.Host ?? "", patterns))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return Task.CompletedTask;
            }

            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (request.IsHttps)
            {
                headers.StrictTransportSecurity = HstsValue;
            }

            if ((request.Path.StartsWithSegments("/_blazor") || request.Path.StartsWithSegments("/hubs"))
                && request.Headers.Origin is { Count: > 0 } origin && !IsSameOrigin(origin.ToString(), request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>The Origin is this request's scheme, host and port (a default port may be left out on either side).</summary>
    private static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == port;
    }
}
