using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SyncServer.Engine.Logging;
using SyncServer.Web.Admin;
using SyncServer.Web.Data;

namespace SyncServer.Web.Components.Account;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // The endpoint the Identity pages need besides themselves (the template's; passkeys, external logins and personal
    // data are not part of the admin UI).
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        // Logging out ends every session of the user (docs/admin.md, "Sessions"): a new security stamp makes every cookie
        // issued before (a copy saved anywhere included) fail the check on its next request, and live circuits close.
        accountGroup.MapPost("/Logout", async (
            HttpContext context,
            [FromServices] SignInManager<AdminUser> signInManager,
            [FromServices] AdminSessions sessions,
            [FromServices] ILoggerFactory loggers,
            [FromForm] string? returnUrl) =>
        {
            if (await signInManager.UserManager.GetUserAsync(context.User) is { } user)
            {
                await signInManager.UserManager.UpdateSecurityStampAsync(user);
                sessions.End(user.Id);
                var log = loggers.CreateLogger(LogTags.Http);
                AdminLog.UserAction(log, user.UserName ?? user.Id, "logged out");
            }

            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/" + LocalReturnUrl.ToBaseRelative(returnUrl));
        });

        return accountGroup;
    }
}
