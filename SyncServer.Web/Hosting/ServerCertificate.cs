using System.Security.Cryptography.X509Certificates;

namespace SyncServer.Web.Hosting;

/// <summary>The TLS certificate with its private key, and the intermediate certificates sent with it.</summary>
internal sealed record ServerCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain);
