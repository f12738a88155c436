using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Auth.Jwt;

namespace SyncServer.Engine.Auth;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>How long a key URL may take to answer.</summary>
    public static readonly TimeSpan KeyFetchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One authenticator per method configured in <paramref name="auth"/>.</summary>
    public static IServiceCollection AddClientAuthenticators(this IServiceCollection services, ClientAuthOptions auth)
    {
        if (auth.SharedSecret is { } secret)
        {
            services.AddSingleton<IClientAuthenticator>(new SharedSecretAuthenticator(secret));
        }

        foreach (var jwt in new[] { auth.Jwt, auth.Google }.OfType<JwtAuthOptions>())
        {
            services.AddSingleton<IClientAuthenticator>(sp => CreateJwt(jwt, sp.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    internal static JwtAuthenticator CreateJwt(JwtAuthOptions options, TimeProvider time)
    {
        if (options.PublicKeyUrl is { } url)
        {
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = KeyFetchTimeout };
            var source = new UrlJwtKeySource(url, options.PublicKeyCacheExpiration, http, time);
            return new JwtAuthenticator(options, source, source);
        }

        var pem = options.PublicKey ?? throw new ArgumentException($"auth.{options.Name}: give publicKey or publicKeyUrl", nameof(options));
        return new JwtAuthenticator(options, new StaticJwtKeySource(JwtKeyParser.Parse(pem)));
    }
}
