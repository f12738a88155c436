using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SyncServer.Web.Tests.Infrastructure;

/// <summary>A self-signed TLS server certificate for 127.0.0.1 and localhost, written as cert.pem and key.pem.</summary>
internal static class TestCertificate
{
    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="directory"/>; returns the certificate (public part).</summary>
    public static X509Certificate2 CreatePemFiles(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=SyncServer test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server auth
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>Accepts exactly <paramref name="trusted"/> (by its bytes), for any host name problem-free connection.</summary>
    public static RemoteCertificateValidationCallback Trusting(X509Certificate2 trusted) =>
        (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData);
}
