using System.Net;
using SyncServer.Engine.Hosting;

namespace SyncServer.Web.Hosting;

internal static class AdminEndpointExtensions
{
    /// <summary>The admin port's pages. Until the admin UI lands this is one status page.</summary>
    public static WebApplication MapAdminUi(this WebApplication app)
    {
        app.MapGet("/", (SyncEngine engine) =>
        {
            var schema = engine.Schema.Current;
            var entities = schema is null
                ? ""
                : string.Join("", schema.Model.Entities.Select(e =>
                    $"<li>{WebUtility.HtmlEncode(e.Name)} ({e.Properties.Count} properties{(e.IsSyncEnabled ? ", sync-enabled" : "")})</li>"));
            var html = $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>SyncServer</title>
                <link rel="stylesheet" href="/app.css"></head>
                <body><h1>SyncServer {ServerInfo.Version}</h1>
                <p>The admin UI is not part of this version yet. The server is running.</p>
                <p>Schema version ID {schema?.Version.Id}, started {engine.StartedAt:u}.</p>
                <ul>{entities}</ul></body></html>
                """;
            return Results.Content(html, "text/html; charset=utf-8");
        });
        app.MapStaticAssets();
        return app;
    }
}
