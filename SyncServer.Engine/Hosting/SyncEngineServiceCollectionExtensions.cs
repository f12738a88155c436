using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Hosting;

public static class SyncEngineServiceCollectionExtensions
{
    /// <summary>Registers the engine (a singleton) and the hosted service that starts and stops it with the host.</summary>
    public static IServiceCollection AddSyncEngine(this IServiceCollection services, SyncEngineOptions options, LogLevelSwitch logLevel)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(logLevel);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SyncEngine>();
        services.AddHostedService<SyncEngineHostedService>();
        return services;
    }
}
