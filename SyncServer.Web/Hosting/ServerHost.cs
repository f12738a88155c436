using System.Diagnostics;
using System.Globalization;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Web.Admin;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

/// <summary>Builds and runs the web host for resolved settings; returns the process exit code.</summary>
internal static class ServerHost
{
    /// <param name="certificate">The --cert certificate when a bind uses TLS (<see cref="ServerCertificate.LoadFor"/>).</param>
    public static async Task<int> RunAsync(ServerSettings settings, ServerCertificate? certificate, Stopwatch startup)
    {
        var levelSwitch = new LogLevelSwitch(ObxLogLevel.Parse(settings.LogLevel));
        if (settings.Workers is { } workers)
        {
            // "workers": threads ready for sessions and the writer without the thread pool's slow ramp-up under bursts.
            ThreadPool.GetMinThreads(out _, out var completionPorts);
            ThreadPool.SetMinThreads(workers, Math.Max(completionPorts, workers));
        }

        await using var app = Build(settings, levelSwitch, certificate);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var log = loggers.CreateLogger(LogTags.Server);
        HostLog.Info(log, settings.ConfigFileMessage);
        foreach (var warning in settings.Warnings)
        {
            HostLog.Warning(log, warning);
        }

        try
        {
            // Check that the ports can be bound, then start the engine outside the host: a refusal is reported here in one
            // clean message, before the engine writes anything (a new schema version) and before any port is opened. The
            // hosted service then finds the engine started and only stops it at shutdown.
            ListenProbe.Check(settings);
            if (settings.AdminBind is not null)
            {
                AdminUsersFileCheck.Check(settings.DbDirectory);
            }

            app.Services.GetRequiredService<SyncEngine>().Start();
            await app.StartAsync();
        }
        catch (SyncEngineStartException e)
        {
            HostLog.RuntimeError(log, e.Message);
            foreach (var detail in e.Details)
            {
                HostLog.ErrorDetail(log, detail);
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
            HostLog.RuntimeError(log, e.Message);
            return SyncEngineStartException.RuntimeErrorExitCode;
        }
#pragma warning disable CA1031 // the last line of defence: log what happened instead of an unformatted crash
        catch (Exception e)
#pragma warning restore CA1031
        {
            HostLog.RuntimeError(log, e.Message, e);
            return SyncEngineStartException.RuntimeErrorExitCode;
        }

        var (bind, tls) = (settings.Bind, settings.Bind.UseTls ? "with SSL" : "without SSL");
        var host = bind.HostDescription;
        var syncLog = loggers.CreateLogger(LogTags.Sync);
        HostLog.SyncListening(syncLog, host, bind.Port, tls);
        var http = loggers.CreateLogger(LogTags.Http);
        if (settings.AdminBind is { } admin)
        {
            HostLog.AdminListening(http, admin.Url);
        }
        else
        {
            HostLog.AdminOff(http);
        }

        var elapsed = startup.Elapsed.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture);
        HostLog.Started(log, elapsed);
        await app.WaitForShutdownAsync();
        HostLog.Stopped(log);
        return 0;
    }

    /// <summary>
    /// The web host for <paramref name="settings"/>, built and mapped but not started: the engine (not started), the sync
    /// endpoint, and unless the admin UI is off the admin UI and <c>/metrics</c>. <see cref="RunAsync"/> starts it; tests
    /// start it in-process the same way (engine first, then the host).
    /// </summary>
    /// <param name="certificate">The --cert certificate; null: loaded here when a bind uses TLS.</param>
    public static WebApplication Build(ServerSettings settings, LogLevelSwitch levelSwitch, ServerCertificate? certificate = null)
    {
        // The application name is the server's, also when a test hosts it in-process (the static assets manifests are named after it).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(ServerHost).Assembly.GetName().Name,
        });
        builder.Logging.AddObxConsole(levelSwitch);
        // The session limits were read and validated with the other settings (ServerSettingsLoader): bind exactly those,
        // not the host's configuration (appsettings.json has no Sync section; the Sync__ variables are already in them).
        var sync = new ConfigurationBuilder().AddInMemoryCollection(SyncSettingsReader.ToConfiguration(settings.Sync)).Build();
        builder.Services.AddSyncEngine(settings.ToEngineOptions(), levelSwitch, sync);
        builder.Services.AddSyncMetrics();
        builder.Services.AddAdminUi(settings, builder.Configuration);
        builder.Services.AddAdminUserLogins(settings);
        builder.WebHost.UseServerEndpoints(settings, certificate ?? ServerCertificate.LoadFor(settings));
        // Running from the build output (tests, dotnet run) in any environment: package and framework files (MudBlazor,
        // blazor.web.js) are found through the static web assets manifest. A published server has them in wwwroot and
        // no manifest, so this does nothing there.
        builder.WebHost.UseStaticWebAssets();

        var app = builder.Build();
        app.UseTrustedProxies(settings);
        app.MapSyncEndpoint(settings.Bind);
        if (settings.AdminBind is not null)
        {
            app.MapAdminUi();
            app.MapMetrics().RequireAuthorization(AdminPolicies.Metrics); // an admin login or the scrapers' bearer token
        }

        return app;
    }
}
