using System.Globalization;
using SyncServer.Web.Services;

namespace SyncServer.Web.Admin;

/// <summary>The admin endpoint's non-page routes: JSON downloads (streamed). All need a logged-in admin (fallback policy).</summary>
internal static class AdminEndpoints
{
    public const string ApiPrefix = "/api";

    /// <summary>Paths answered with 401/403 instead of a redirect to the login page.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments(ApiPrefix) || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/hubs");

    public static IEndpointRouteBuilder MapAdminDownloads(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(ApiPrefix).RequireAuthorization(AdminPolicies.Admin);
        api.MapGet("/export.json", (HttpContext context, IAdminService admin) => ExportAsync(context, admin, null));
        api.MapGet("/export/{entity}.json", (HttpContext context, IAdminService admin, string entity) => ExportAsync(context, admin, entity));
        api.MapGet("/schema/{id:int}.json", (int id, IAdminService admin) =>
        {
            try
            {
                return Results.File(
                    System.Text.Encoding.UTF8.GetBytes(admin.GetModelJson(id)),
                    "application/json",
                    string.Create(CultureInfo.InvariantCulture, $"schema-version-{id}.json"));
            }
            catch (KeyNotFoundException e)
            {
                return Results.NotFound(e.Message);
            }
        });
        return endpoints;
    }

    private static async Task ExportAsync(HttpContext context, IAdminService admin, string? entity)
    {
        if (entity is not null && admin.CurrentSchema?.Model.FindEntity(entity) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"The current schema has no entity \"{entity}\"", context.RequestAborted);
            return;
        }

        var name = entity is null ? "syncserver-export.json" : $"syncserver-export-{entity}.json";
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await admin.WriteExportAsync(context.Response.Body, entity, context.RequestAborted);
    }
}
