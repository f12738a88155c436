using Microsoft.AspNetCore.Server.Kestrel.Https;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

internal static class KestrelEndpointExtensions
{
    /// <summary>
    /// Listens on exactly the sync bind and (unless off) the admin bind; nothing else (ASPNETCORE_URLS is ignored).
    /// wss:// and https:// use <paramref name="certificate"/> (from --cert, loaded and checked before the host is built).
    /// </summary>
    public static IWebHostBuilder UseServerEndpoints(this IWebHostBuilder webHost, ServerSettings settings, ServerCertificate? certificate)
    {
        return webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var bind in new[] { settings.Bind, settings.AdminBind }.OfType<BindAddress>())
            {
                kestrel.Listen(bind.Address, bind.Port, listen =>
                {
                    if (bind.UseTls)
                    {
                        var tls = certificate ?? throw new InvalidOperationException($"{bind.Url} needs the certificate from --cert");
                        listen.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificate = tls.Certificate,
                            ServerCertificateChain = tls.Chain,
                        });
                    }
                });
            }
        });
    }
}
