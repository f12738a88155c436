using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
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

        accountGroup.MapPost("/Logout", async (
            [FromServices] SignInManager<AdminUser> signInManager,
            [FromForm] string returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect($"~/{returnUrl}");
        });

        return accountGroup;
    }
}
