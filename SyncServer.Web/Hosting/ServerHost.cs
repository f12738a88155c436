using System.Diagnostics;
using System.Globalization;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

/// <summary>Builds and runs the web host for resolved settings; returns the process exit code.</summary>
internal static class ServerHost
{
    public static async Task<int> RunAsync(ServerSettings settings, Stopwatch startup)
    {
        ObxLogLevel.TryParse(settings.LogLevel, out var level);
        var levelSwitch = new LogLevelSwitch(level);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddObxConsole(levelSwitch);
        builder.Services.AddSyncEngine(settings.ToEngineOptions(), levelSwitch);
        builder.WebHost.UseServerEndpoints(settings);

        await using var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogTags.Server);
        log.LogInformation("{ConfigFileMessage}", settings.ConfigFileMessage);
        foreach (var warning in settings.Warnings)
        {
            log.LogWarning("{Warning}", warning);
        }

        app.MapSyncEndpoint(settings.Bind);
        if (settings.AdminBind is not null)
        {
            app.MapAdminUi();
        }

        try
        {
            await app.StartAsync();
        }
        catch (SyncEngineStartException e)
        {
            log.LogError("Runtime error: {Message}", e.Message);
            foreach (var detail in e.Details)
            {
                log.LogError("{Detail}", detail);
            }

            if (e.Hint is not null)
            {
                await Console.Error.WriteLineAsync(e.Hint);
            }

            return e.ExitCode;
        }
        catch (IOException e)
        {
            // Kestrel could not bind (address in use, no permission): the message names the address.
            log.LogError("Runtime error: {Message}", e.Message);
            return SyncEngineStartException.RuntimeErrorExitCode;
        }
#pragma warning disable CA1031 // the last line of defence: log what happened instead of an unformatted crash
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.LogError(e, "Runtime error: {Message}", e.Message);
            return SyncEngineStartException.RuntimeErrorExitCode;
        }

        LogListening(app, settings);
        log.LogInformation("Sync server started in {Milliseconds} ms", startup.Elapsed.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture));
        await app.WaitForShutdownAsync();
        log.LogInformation("Sync server stopped");
        return 0;
    }

    private static void LogListening(WebApplication app, ServerSettings settings)
    {
        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        factory.CreateLogger(LogTags.Sync).LogInformation(
            "Listening on {Host}, port {Port} {Tls}",
            settings.Bind.HostDescription,
            settings.Bind.Port,
            settings.Bind.UseTls ? "with SSL" : "without SSL");
        var http = factory.CreateLogger(LogTags.Http);
        if (settings.AdminBind is { } admin)
        {
            http.LogInformation("Admin UI listening on {Url}", admin.Url);
        }
        else
        {
            http.LogInformation("Admin UI is off (--admin-off)");
        }
    }
}
