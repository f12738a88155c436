using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Tests.Sync.Sessions;

/// <summary>
/// The engine as <c>AddSyncEngine</c> wires it, started, with its <see cref="SyncSessionHost"/>: for tests that run real
/// sessions over a loopback WebSocket (no HTTP). Disposing closes every session, stops the engine and the services.
/// </summary>
internal sealed class SessionEngine : IAsyncDisposable
{
    private SessionEngine(ServiceProvider provider)
    {
        Provider = provider;
        Engine = provider.GetRequiredService<SyncEngine>();
        Engine.Start();
        Sessions = provider.GetRequiredService<SyncSessionHost>();
    }

    public ServiceProvider Provider { get; }

    public SyncEngine Engine { get; }

    public SyncSessionHost Sessions { get; }

    /// <param name="configure">Registrations before the engine's (e.g. <c>AddOptions&lt;SyncOptions&gt;().Configure(...)</c>).</param>
    public static SessionEngine Start(SyncEngineOptions options, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services);
        services.AddSyncEngine(options, new LogLevelSwitch());
        return new SessionEngine(services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Sessions.CloseAllAsync(timeout.Token);
        }

        await Engine.StopAsync();
        await Provider.DisposeAsync();
    }
}
