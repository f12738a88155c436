using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

/// <summary>The TLS certificate with its private key, and the intermediate certificates sent with it.</summary>
internal sealed record ServerCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain)
{
    private const string Source = "--cert (config key certificatePath)";

    /// <summary>
    /// The certificate for the wss:// and https:// binds of <paramref name="settings"/>, loaded before anything starts, or
    /// null when no bind uses TLS.
    /// </summary>
    /// <exception cref="SettingsException">The path, the certificate or the key is unusable; the message names the file and why.</exception>
    public static ServerCertificate? LoadFor(ServerSettings settings) =>
        settings.Bind.UseTls || settings.AdminBind is { UseTls: true } ? Load(settings.CertificatePath!) : null;

    /// <summary>
    /// A directory with cert.pem and key.pem, or the certificate file with key.pem beside it. The certificate file holds
    /// the server's certificate first, then any intermediate CA certificates (a CA's "full chain" file): the TLS
    /// handshake sends them along, so clients that trust only the root can verify the server.
    /// </summary>
    /// <exception cref="SettingsException">The path, the certificate or the key is unusable; the message names the file and why.</exception>
    public static ServerCertificate Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full) && !File.Exists(full))
        {
            throw new SettingsException($"{Source}: {full} does not exist; give a directory with cert.pem and key.pem, or the certificate file with key.pem beside it");
        }

        var (certFile, keyFile) = Directory.Exists(full)
            ? (Path.Combine(full, "cert.pem"), Path.Combine(full, "key.pem"))
            : (full, Path.Combine(Path.GetDirectoryName(full)!, "key.pem"));
        var certPem = ReadPem(certFile, "certificate");
        var keyPem = ReadPem(keyFile, "private key");
        if (!certPem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new SettingsException($"{Source}: {certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        if (keyPem.Contains("ENCRYPTED", StringComparison.Ordinal)) // PKCS#8 "ENCRYPTED PRIVATE KEY" or a legacy "Proc-Type: 4,ENCRYPTED" header
        {
            throw new SettingsException($"{Source}: the private key {keyFile} is encrypted (password-protected); "
                + "store it unencrypted, readable only by the server's user (openssl pkey -in key.pem -out key.pem)");
        }

        if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new SettingsException($"{Source}: {keyFile} holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new SettingsException($"{Source}: the private key {keyFile} does not fit the certificate {certFile}, or one of them is damaged ({e.Message})");
        }

        var all = new X509Certificate2Collection();
        all.ImportFromPem(certPem);
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

    private static string ReadPem(string file, string what)
    {
        if (Directory.Exists(file))
        {
            throw new SettingsException($"{Source}: {file} is a directory, not the {what} file");
        }

        try
        {
            return File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            throw new SettingsException($"{Source}: the {what} file {file} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"{Source}: the {what} file {file} cannot be read: {e.Message}");
        }
    }
}
