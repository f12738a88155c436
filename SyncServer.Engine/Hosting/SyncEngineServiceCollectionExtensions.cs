using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Hosting;

public static class SyncEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine (a singleton), its client authenticators, the sync sessions with their <see cref="SyncOptions"/>
    /// (bound from <paramref name="syncConfiguration"/> when given, validated at start), the <see cref="SyncStatistics"/>
    /// (and the <c>SyncServer</c> Meter they publish), and the hosted service that starts and stops it all with the host.
    /// </summary>
    public static IServiceCollection AddSyncEngine(
        this IServiceCollection services, SyncEngineOptions options, LogLevelSwitch logLevel, IConfiguration? syncConfiguration = null)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(logLevel);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SyncStatistics>();
        services.AddSingleton(sp => new SyncEngine(
            sp.GetRequiredService<SyncEngineOptions>(),
            sp.GetRequiredService<IOptions<SyncOptions>>().Value,
            sp.GetServices<IClientAuthenticator>(),
            sp.GetRequiredService<SyncStatistics>(),
            sp.GetRequiredService<LogLevelSwitch>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<SyncEngineHostedService>();

        // Client authentication: one IClientAuthenticator per configured method (docs/auth.md); the host adds its own
        // (admin users) with AddSingleton<IClientAuthenticator>.
        if (options.UnsecuredNoAuthentication)
        {
            services.AddSingleton<IClientAuthenticator, UnsecuredAuthenticator>();
        }

        services.AddClientAuthenticators(options.Auth);
        services.AddSingleton(sp =>
        {
            var sync = sp.GetRequiredService<IOptions<SyncOptions>>().Value;
            var throttle = new LoginThrottle(sync.LoginFailuresPerAddress, sync.LoginFailureWindow, sync.LoginBlockTime, sp.GetRequiredService<TimeProvider>());
            return new ClientAuthentication(sp.GetServices<IClientAuthenticator>(), sp.GetRequiredService<ILoggerFactory>(), throttle);
        });

        // Sessions.
        var syncOptions = services.AddOptions<SyncOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (syncConfiguration is not null)
        {
            syncOptions.Bind(syncConfiguration);
        }

        services.AddSingleton<SessionRegistry>();
        services.AddSingleton(sp => new SyncSessionHost(
            sp.GetRequiredService<SyncEngine>(),
            sp.GetRequiredService<IOptions<SyncOptions>>().Value,
            sp.GetRequiredService<ClientAuthentication>(),
            sp.GetRequiredService<SessionRegistry>(),
            sp.GetRequiredService<SyncStatistics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
