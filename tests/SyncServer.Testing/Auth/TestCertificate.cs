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

    /// <summary>
    /// A root CA, an intermediate CA it signed, and a server certificate (127.0.0.1, localhost) the intermediate signed:
    /// <c>cert.pem</c> holds the server certificate followed by the intermediate (a CA's "full chain" file), <c>key.pem</c>
    /// the server's key. Returns the root and the intermediate (public parts).
    /// </summary>
    public static (X509Certificate2 Root, X509Certificate2 Intermediate) CreateChainPemFiles(string directory)
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=SyncServer test root CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=SyncServer test intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediatePublic = intermediateRequest.Create(root, notBefore, notAfter.AddHours(12), [1, 2, 3, 4]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=SyncServer test server", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server auth
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var server = serverRequest.Create(intermediate, notBefore, notAfter, [5, 6, 7, 8]);

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "cert.pem"), server.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), serverKey.ExportPkcs8PrivateKeyPem());
        return (X509CertificateLoader.LoadCertificate(root.RawData), X509CertificateLoader.LoadCertificate(intermediate.RawData));
    }

    /// <summary>Accepts exactly <paramref name="trusted"/> (by its bytes), for any host name problem-free connection.</summary>
    public static RemoteCertificateValidationCallback Trusting(X509Certificate2 trusted) =>
        (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData);
}
