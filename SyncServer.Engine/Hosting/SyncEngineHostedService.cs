using Microsoft.Extensions.Hosting;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Hosting;

/// <summary>
/// Ties the engine to the host's lifetime: starts it before any server binds its port (<see cref="StartingAsync"/> runs
/// before every StartAsync, Kestrel's included; a no-op when the host started the engine itself to report a refusal
/// cleanly). Shutdown, in order: <see cref="StoppingAsync"/> (before the servers stop) turns new sync connections away and
/// closes every session with 1001; the servers stop; <see cref="StoppedAsync"/> lets the writer commit what is queued,
/// then the database closes.
/// </summary>
internal sealed class SyncEngineHostedService(SyncEngine engine, SyncSessionHost sessions) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        engine.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => sessions.CloseAllAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => engine.StopAsync();
}
