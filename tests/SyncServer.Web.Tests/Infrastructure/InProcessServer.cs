using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Web.Cli;
using SyncServer.Web.Data;
using SyncServer.Web.Hosting;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Infrastructure;

/// <summary>
/// The whole server (<see cref="ServerHost.Build"/>: engine, sync port, admin UI) hosted in the test process on real
/// Kestrel loopback ports, so a test can change admin users through the services the Users page calls and watch the
/// effect over HTTP with real cookies.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, int syncPort, int adminPort)
    {
        _app = app;
        SyncPort = syncPort;
        AdminUrl = new Uri($"http://127.0.0.1:{adminPort}/");
    }

    public int SyncPort { get; }

    public Uri AdminUrl { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>What the Users page calls.</summary>
    public IAdminUsers Users => Services.GetRequiredService<IAdminUsers>();

    /// <summary>Starts the server on the example model in <paramref name="dataDirectory"/> on free ports.</summary>
    public static async Task<InProcessServer> StartAsync(string dataDirectory, params string[] arguments)
    {
        var (syncPort, adminPort) = (FreePort.Next(), FreePort.Next());
        var cli = new ServerCommandLine();
        var parsed = cli.Root.Parse([
            "--model", TestPaths.ExampleModel, "-d", dataDirectory, "--bind", $"ws://127.0.0.1:{syncPort}",
            "--admin-bind", $"http://127.0.0.1:{adminPort}", "--log-level", "warn", .. arguments]);
        var settings = ServerSettingsLoader.Load(cli, parsed);
        var app = ServerHost.Build(settings, new LogLevelSwitch(ObxLogLevel.Parse(settings.LogLevel)));
        try
        {
            app.Services.GetRequiredService<SyncEngine>().Start();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new InProcessServer(app, syncPort, adminPort);
    }

    /// <summary>Creates an admin user directly (as the setup page or the environment would); returns its ID.</summary>
    public async Task<string> CreateUserAsync(string userName, string password)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
        var user = new AdminUser { UserName = userName };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
