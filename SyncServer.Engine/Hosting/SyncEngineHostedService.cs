using Microsoft.Extensions.Hosting;

namespace SyncServer.Engine.Hosting;

/// <summary>
/// Ties the engine to the host's lifetime: starts it before any server binds its port (<see cref="StartingAsync"/> runs
/// before every StartAsync, Kestrel's included; a no-op when the host started the engine itself to report a refusal
/// cleanly), and closes it after the servers have stopped (<see cref="StoppedAsync"/>), so a shutdown lets in-flight
/// requests finish before the database closes.
/// </summary>
internal sealed class SyncEngineHostedService(SyncEngine engine) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        engine.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        engine.Stop();
        return Task.CompletedTask;
    }
}
