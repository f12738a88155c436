using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

internal static class KestrelEndpointExtensions
{
    /// <summary>
    /// Listens on exactly the sync bind and (unless off) the admin bind; nothing else (ASPNETCORE_URLS is ignored).
    /// wss:// and https:// use the certificate from --cert.
    /// </summary>
    public static IWebHostBuilder UseServerEndpoints(this IWebHostBuilder webHost, ServerSettings settings)
    {
        var certificate = new Lazy<ServerCertificate>(() => LoadCertificate(settings.CertificatePath!));
        return webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var bind in new[] { settings.Bind, settings.AdminBind }.OfType<BindAddress>())
            {
                kestrel.Listen(bind.Address, bind.Port, listen =>
                {
                    if (bind.UseTls)
                    {
                        listen.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificate = certificate.Value.Certificate,
                            ServerCertificateChain = certificate.Value.Chain,
                        });
                    }
                });
            }
        });
    }

    /// <summary>
    /// A directory with cert.pem and key.pem, or the certificate file with key.pem beside it. The certificate file holds
    /// the server's certificate first, then any intermediate CA certificates (a CA's "full chain" file): the TLS
    /// handshake sends them along, so clients that trust only the root can verify the server.
    /// </summary>
    private static ServerCertificate LoadCertificate(string path)
    {
        var (certFile, keyFile) = Directory.Exists(path)
            ? (Path.Combine(path, "cert.pem"), Path.Combine(path, "key.pem"))
            : (path, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "key.pem"));
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certFile);
            var chain = new X509Certificate2Collection();
            foreach (var other in all)
            {
                if (other.Thumbprint != certificate.Thumbprint)
                {
                    chain.Add(other);
                }
                else
                {
                    other.Dispose(); // the server's own certificate again, without its key
                }
            }

            return new ServerCertificate(certificate, chain);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new SettingsException($"--cert (config key certificatePath): cannot load certificate {certFile} with key {keyFile}: {e.Message}");
        }
    }
}
