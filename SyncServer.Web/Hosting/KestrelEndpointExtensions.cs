using System.Security.Cryptography.X509Certificates;
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
        var certificate = new Lazy<X509Certificate2>(() => LoadCertificate(settings.CertificatePath!));
        return webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var bind in new[] { settings.Bind, settings.AdminBind }.OfType<BindAddress>())
            {
                kestrel.Listen(bind.Address, bind.Port, listen =>
                {
                    if (bind.UseTls)
                    {
                        listen.UseHttps(certificate.Value);
                    }
                });
            }
        });
    }

    /// <summary>A directory with cert.pem and key.pem, or the certificate file with key.pem beside it.</summary>
    private static X509Certificate2 LoadCertificate(string path)
    {
        var (certFile, keyFile) = Directory.Exists(path)
            ? (Path.Combine(path, "cert.pem"), Path.Combine(path, "key.pem"))
            : (path, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "key.pem"));
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new SettingsException($"--cert (config key certificatePath): cannot load certificate {certFile} with key {keyFile}: {e.Message}");
        }
    }
}
